package io.ferry.activities.postgres;

import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.BenchmarkPort;
import io.ferry.activities.ssh.ExecProgress;
import io.ferry.activities.ssh.ExecRequest;
import io.ferry.activities.ssh.ExecResult;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link BenchmarkPort} that runs pgbench (and psql, from the same postgresql-client package) on a
 * host over SSH. The password travels on the command's stdin, never on a command line; pgbench's
 * tables live in a scratch schema {@value #SCHEMA} that is made afresh and dropped after the run.
 */
public final class PgbenchOverSsh implements BenchmarkPort {

  static final String SCHEMA = "ferry_pgbench";
  static final int MISSING_TOOL = 127;
  private static final String NOT_INSTALLED = " is not installed";
  private static final Duration INIT_ALLOWANCE = Duration.ofMinutes(10);
  private static final Pattern TPS =
      Pattern.compile("^tps = ([0-9]+(?:\\.[0-9]+)?) \\((without|excluding)", Pattern.MULTILINE);
  private static final Pattern ANY_TPS =
      Pattern.compile("^tps = ([0-9]+(?:\\.[0-9]+)?)", Pattern.MULTILINE);

  private final SshSessions ssh;
  private final SecretResolver secrets;

  public PgbenchOverSsh(SshSessions ssh, SecretResolver secrets) {
    this.ssh = ssh;
    this.secrets = secrets;
  }

  @Override
  public double pgbench(SshTarget host, PostgresTarget target, int clients, Duration duration) {
    Failures.require("host", host);
    Failures.require("target", target);
    if (clients < 1 || duration == null || duration.isNegative() || duration.isZero()) {
      throw Failures.invalidInput("pgbench needs at least one client and a positive duration");
    }
    long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
    String password = secrets.resolve(target.password());
    if (password.indexOf('\n') >= 0) {
      throw Failures.invalidInput("password " + target.password() + " contains a line break");
    }
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script(target, clients, seconds))
                .withStdin(password + "\n")
                .withTimeout(duration.plus(INIT_ALLOWANCE))
                .withProgress(ExecProgress.activityHeartbeat()));
    if (result.exitStatus() == MISSING_TOOL && result.lastErrorLine().endsWith(NOT_INSTALLED)) {
      throw Failures.precondition(
          result.lastErrorLine()
              + " (host "
              + host.host()
              + "); install postgresql-client there (Debian/Ubuntu: apt-get install -y"
              + " postgresql-client), then retry");
    }
    if (!result.succeeded()) {
      String why = result.lastErrorLine();
      if (why.contains("password authentication failed") || why.contains("no password supplied")) {
        throw ApplicationFailure.newNonRetryableFailure(
            "pgbench on "
                + host.host()
                + ": the role "
                + target.user()
                + " was refused by "
                + target.host()
                + " (check "
                + target.password()
                + "): "
                + why,
            FailureTypes.AUTH);
      }
      throw new IllegalStateException(
          "pgbench on " + host.host() + " failed (exit " + result.exitStatus() + "): " + why);
    }
    return parseTps(result.stdout());
  }

  /** The TPS pgbench printed, without connection time where it says so. */
  static double parseTps(String output) {
    Matcher m = TPS.matcher(output);
    if (!m.find()) {
      m = ANY_TPS.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("pgbench printed no 'tps = ' line: " + output.strip());
      }
    }
    return Double.parseDouble(m.group(1));
  }

  /**
   * The shell script: read the password, point libpq at the target, make the scratch schema,
   * initialise at a scale of one branch per client, run, and drop the schema whatever happened.
   */
  static String script(PostgresTarget target, int clients, long seconds) {
    return String.join(
        "\n",
        "IFS= read -r PGPASSWORD",
        "export PGPASSWORD",
        "export PGHOST="
            + quote(target.host())
            + " PGPORT="
            + quote(Integer.toString(target.port()))
            + " PGUSER="
            + quote(target.user())
            + " PGDATABASE="
            + quote(target.database())
            + " PGSSLMODE="
            + quote(target.sslMode())
            + " PGAPPNAME=ferry-pgbench",
        "for tool in pgbench psql; do",
        "  command -v \"$tool\" >/dev/null 2>&1 || { echo \"$tool"
            + NOT_INSTALLED
            + "\" >&2; exit "
            + MISSING_TOOL
            + "; }",
        "done",
        "drop_scratch() { psql -X -q -c 'DROP SCHEMA IF EXISTS "
            + SCHEMA
            + " CASCADE' >/dev/null 2>&1; }",
        "trap drop_scratch EXIT",
        "psql -X -q -v ON_ERROR_STOP=1 -c 'DROP SCHEMA IF EXISTS "
            + SCHEMA
            + " CASCADE' -c 'CREATE SCHEMA "
            + SCHEMA
            + "' >&2 || exit $?",
        "export PGOPTIONS='-c search_path=" + SCHEMA + "'",
        "pgbench -i -q -s " + clients + " >&2 || exit $?",
        "pgbench -c " + clients + " -j " + Math.min(clients, 4) + " -T " + seconds + " || exit $?");
  }
}
