package io.ferry.worker;

/**
 * The exit codes of every {@code ferry} command, the worker included; listed in each {@code
 * --help}.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** Something unexpected; the message says what, {@code --verbose} shows the trace. */
  public static final int SOFTWARE = 1;

  /** Bad command line: unknown option, missing argument, unknown roadmap or step. */
  public static final int USAGE = 2;

  public static final int INVALID_PLAN = 3;

  /** The migration refused the request (its validator said why). */
  public static final int REFUSED = 4;

  /** No such migration. */
  public static final int NOT_FOUND = 5;

  public static final int ALREADY_RUNNING = 6;

  /** The migration ended rolled back or failed (when no fault was rehearsed). */
  public static final int MIGRATION_NOT_COMPLETED = 7;

  /** The Temporal frontend cannot be reached. */
  public static final int UNAVAILABLE = 8;

  /** A rehearsed rollback did not bring the simulated ledger back to where it began. */
  public static final int LEDGER_MISMATCH = 9;

  /** The real fleet cannot start: its DigitalOcean token's reference does not resolve. */
  public static final int FLEET_UNAVAILABLE = 10;

  /**
   * The server answers but no worker does: none polls the task queue, or none answered within the
   * deadline ({@code --wait}).
   */
  public static final int NO_WORKER = 11;

  /**
   * The server is not set up for Ferry: it does not serve the namespace, or Ferry's search
   * attributes are not registered.
   */
  public static final int SERVER_NOT_SET_UP = 12;

  private ExitCodes() {}
}
