package io.ferry.runbook;

/**
 * Memo keys a migration is started with; the workflow reads them, so they are part of its input.
 */
public final class MigrationMemo {

  /** Who started the migration ({@code ferry start --by}), for the approval policy. */
  public static final String STARTED_BY = "ferryStartedBy";

  private MigrationMemo() {}
}
