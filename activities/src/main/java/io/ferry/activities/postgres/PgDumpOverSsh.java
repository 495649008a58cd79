package io.ferry.activities.postgres;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.RemoteScript.need;
import static io.ferry.activities.ssh.RemoteScript.option;
import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.PgDumpPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.activities.ssh.ExecProgress;
import io.ferry.activities.ssh.ExecRequest;
import io.ferry.activities.ssh.ExecResult;
import io.ferry.activities.ssh.RemoteScript;
import io.ferry.activities.ssh.Shell;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;

/**
 * {@link PgDumpPort} that runs pg_dump on a host over SSH. The password travels on the command's
 * stdin into a private pgpass file, never on a command line; the dump is written by rename.
 */
public final class PgDumpOverSsh implements PgDumpPort {

  private static final Duration DUMP_TIMEOUT = Duration.ofHours(6);

  private final SshSessions ssh;

  public PgDumpOverSsh(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public WrittenFile pgDump(SshTarget host, PostgresTarget database, String password, String path) {
    Failures.require("database", database);
    String dump = absolute(path);
    String name = dump.substring(dump.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      throw Failures.invalidInput("path must name a file, was " + path);
    }
    String directory = dump.substring(0, Math.max(1, dump.lastIndexOf('/')));
    String dbName = option("database", database.database());
    option("host", database.host());
    option("user", database.user());
    Failures.require("password", password);
    if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
      throw Failures.invalidInput(
          "the password of "
              + database.user()
              + " contains a line break, which a pgpass file cannot hold");
    }
    // the whole password field of a pgpass line: every ':' and '\' escaped
    String pgpass = "*:*:*:*:" + password.replace("\\", "\\\\").replace(":", "\\:") + "\n";
    List<String> pgDump =
        List.of(
            "pg_dump",
            "--format=custom",
            "--no-password",
            "--host",
            database.host(),
            "--port",
            Integer.toString(database.port()),
            "--username",
            database.user(),
            "--dbname",
            dbName,
            "--file");
    String script =
        "set -e\n"
            + "umask 077\n"
            + "dump="
            + quote(dump)
            + "\n"
            + "if [ -f \"$dump\" ] && [ \"$(head -c 5 -- \"$dump\")\" = PGDMP ]; then\n"
            + "  cat > /dev/null\n" // the pgpass line: not needed
            + "  echo kept\n"
            + "else\n"
            + "  "
            + need("pg_dump").replace("\n", "\n  ")
            + "mkdir -p -- "
            + quote(directory)
            + "\n"
            + "  work=$(mktemp -d -- "
            + quote(directory + "/." + name + ".ferry-XXXXXX")
            + ")\n"
            + "  trap 'rm -rf -- \"$work\"' EXIT\n"
            + "  trap 'exit 129' HUP INT TERM\n"
            + "  cat > \"$work/pgpass\"\n"
            + "  PGPASSFILE=\"$work/pgpass\" PGSSLMODE="
            + quote(database.sslMode())
            + " "
            + Shell.words(pgDump)
            + " \"$work/dump\" < /dev/null\n"
            + "  mv -f -- \"$work/dump\" \"$dump\"\n"
            + "  echo dumped\n"
            + "fi\n"
            + "printf '%s %s\\n' \"$(wc -c < \"$dump\")\" \"$(sha256sum < \"$dump\" | cut -d ' ' -f 1)\"\n";
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script)
                .withStdin(pgpass)
                .withTimeout(DUMP_TIMEOUT)
                .withProgress(ExecProgress.activityHeartbeat()));
    RemoteScript.requireInstalled(
        host,
        result,
        "pg_dump",
        "install the PostgreSQL client (apt-get install postgresql-client)");
    String what =
        "pg_dump of " + database.host() + "/" + dbName + " to " + dump + " on " + host.host();
    if (!result.succeeded()) {
      String why = RemoteScript.masked(result.lastErrorLine(), password);
      if (why.contains("password authentication failed")
          || why.contains("no password supplied")
          || why.contains("no pg_hba.conf entry")) {
        throw ApplicationFailure.newNonRetryableFailure(
            what + " was refused: " + why, FailureTypes.AUTH);
      }
      if (why.contains("database \"" + dbName + "\" does not exist")) {
        throw Failures.notFound(what + ": " + why);
      }
      if (why.contains("server version mismatch") || why.contains("Permission denied")) {
        throw Failures.precondition(what + " failed: " + why);
      }
      throw new IllegalStateException(what + " failed (exit " + result.exitStatus() + "): " + why);
    }
    String[] lines = result.stdout().strip().split("\n");
    String[] sizeAndSha = lines[lines.length - 1].strip().split("\\s+");
    if (sizeAndSha.length != 2 || !sizeAndSha[1].matches("[0-9a-f]{64}")) {
      throw new IllegalStateException(what + ": unexpected answer " + lines[lines.length - 1]);
    }
    return new WrittenFile(dump, Long.parseLong(sizeAndSha[0]), sizeAndSha[1]);
  }
}
