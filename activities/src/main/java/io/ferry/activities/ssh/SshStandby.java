package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.StandbyPort;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link StandbyPort} over SSH. PostgreSQL's tools run as the plan's system user ({@code runuser}
 * when the login is root, directly when the login is that user). A standby Ferry made carries a
 * marker file in its data directory; removal refuses a non-empty directory without it, so a wrong
 * path in a plan never deletes someone's database. While a base backup copies, a lock file beside
 * the data directory ({@code <dataDir>.ferry-partial}) says the copy is Ferry's and unfinished: a
 * retry after a dead worker starts the copy again instead of starting a half-copied standby, and
 * waits while an earlier copy still runs.
 */
public final class SshStandby implements StandbyPort {

  static final String MARKER = "ferry-standby";
  static final String PARTIAL = "ferry-partial";
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final int NOT_EMPTY = 5;
  private static final int NOT_OURS = 6;
  private static final int STILL_COPYING = 75;
  private static final Duration BASE_BACKUP_TIMEOUT = Duration.ofHours(6);
  private static final Pattern NO_HBA_ENTRY =
      Pattern.compile(
          "no pg_hba\\.conf entry for replication connection from host \"([^\"]+)\", user"
              + " \"([^\"]+)\"");

  private final SshSessions ssh;
  private final SecretResolver secrets;

  public SshStandby(SshSessions ssh, SecretResolver secrets) {
    this.ssh = ssh;
    this.secrets = secrets;
  }

  @Override
  public StandbyState state(SshTarget host, StandbySpec spec) {
    String script =
        prelude(spec)
            // an unfinished copy of Ferry's is no cluster: the bootstrap makes it again
            + "if [ -f \"$data/PG_VERSION\" ] && [ ! -e \"$partial\" ]; then echo cluster;"
            + " else echo none; exit 0; fi\n"
            + "if as \"$bin/pg_ctl\" -D \"$data\" status >/dev/null 2>&1;"
            + " then echo running; else echo stopped; fi\n";
    String out =
        ssh.execOrFail(host, "reading the standby in " + spec.dataDir(), ExecRequest.of(script));
    return new StandbyState(out.startsWith("cluster"), out.contains("running"));
  }

  @Override
  public ReplicationLogin checkReplicationLogin(
      SshTarget host, StandbySpec spec, SecretRef passwordRef) {
    String password = password(passwordRef);
    String script =
        prelude(spec)
            + "IFS= read -r PGPASSWORD || true\nexport PGPASSWORD\n"
            + "psql=\"$bin/psql\"; [ -x \"$psql\" ] || psql=psql\n"
            + "command -v \"$psql\" >/dev/null || { echo \"no psql on this host: install"
            + " postgresql-client\" >&2; exit 127; }\n"
            + "\"$psql\" -X -w -A -t -d "
            + quote(conninfo(spec) + " dbname=replication replication=true")
            + " -c IDENTIFY_SYSTEM\n";
    ExecResult result = ssh.exec(host, ExecRequest.of(script).withStdin(password + "\n"));
    if (result.succeeded()) {
      return new ReplicationLogin(result.stdout().strip().split("\\|", 2)[0], null);
    }
    String why = RemoteScript.masked(RemoteScript.lastLines(result.stderr(), 3), password);
    String refusal = refusal(spec, host, why);
    if (refusal == null) {
      // unreachable primary, missing tool: worth a retry or an error of its own
      throw new IllegalStateException(
          "a replication connection from "
              + host.host()
              + " to "
              + spec.primaryHost()
              + ":"
              + spec.primaryPort()
              + " failed: "
              + why);
    }
    return new ReplicationLogin(null, refusal);
  }

  /** What the primary's refusal says is missing, or null when it is no refusal. */
  static String refusal(StandbySpec spec, SshTarget host, String why) {
    Matcher hba = NO_HBA_ENTRY.matcher(why);
    if (hba.find()) {
      String address = hba.group(1);
      return "no pg_hba.conf line lets "
          + hba.group(2)
          + " open a replication connection from "
          + address
          + ": add `host replication "
          + hba.group(2)
          + " "
          + address
          + (address.contains(":") ? "/128" : "/32")
          + " scram-sha-256` to the primary's pg_hba.conf and reload it (SELECT"
          + " pg_reload_conf())";
    }
    if (why.contains("must be superuser or replication role")
        || why.contains("permission denied to start WAL sender")) {
      return "role "
          + spec.user()
          + " lacks the REPLICATION privilege: ALTER ROLE "
          + spec.user()
          + " REPLICATION on the primary";
    }
    if (why.contains("password authentication failed")) {
      return "the primary refused "
          + spec.user()
          + "'s password (from "
          + host.host()
          + "): check the replication password reference";
    }
    return null;
  }

  private String password(SecretRef ref) {
    String password = ref == null ? null : secrets.resolve(ref);
    return password == null ? "" : password;
  }

  private static String conninfo(StandbySpec spec) {
    return "host="
        + spec.primaryHost()
        + " port="
        + spec.primaryPort()
        + " user="
        + spec.user()
        + " application_name="
        + spec.applicationName();
  }

  @Override
  public void bootstrap(SshTarget host, StandbySpec spec, SecretRef passwordRef) {
    String password = password(passwordRef);
    String conninfo = conninfo(spec);
    String script =
        prelude(spec)
            + "IFS= read -r PGPASSWORD || true\nexport PGPASSWORD\n"
            + "unfinished=no; [ -e \"$partial\" ] && unfinished=yes\n"
            + "if [ $unfinished = no ] && [ -e \"$data\" ]"
            + " && [ -n \"$(ls -A \"$data\" 2>/dev/null)\" ]; then\n"
            + "  echo \"data directory $data exists and is not empty\" >&2; exit "
            + NOT_EMPTY
            + "\nfi\n"
            + "mkdir -p -- \"$(dirname -- \"$data\")\" || exit 1\n"
            + "exec 9>>\"$partial\" || exit 1\n"
            + "command -v flock >/dev/null || { echo \"no flock on this host: install util-linux\""
            + " >&2; exit 1; }\n"
            + "flock -n 9 || { echo \"an earlier pg_basebackup into $data is still copying\" >&2;"
            + " exit "
            + STILL_COPYING
            + "; }\n"
            // an earlier attempt of Ferry's died mid-copy: what it left is not a standby
            + "if [ $unfinished = yes ]; then rm -rf -- \"$data\" || exit 1; fi\n"
            + "mkdir -p -- \"$data\" && chmod 0700 -- \"$data\" || exit 1\n"
            + "if [ \"$(id -u)\" = 0 ]; then chown -- \"$user\" \"$data\" || exit 1; fi\n"
            + "as \"$bin/pg_basebackup\" -d "
            + quote(conninfo)
            + " -D \"$data\" -R -S "
            + quote(spec.slot())
            + " -X stream --no-password || { rm -rf -- \"$data\"; rm -f -- \"$partial\"; exit 1; }\n"
            + "printf '%s\\n' "
            + quote("port = " + spec.port())
            + " | as tee -a \"$data/postgresql.auto.conf\" >/dev/null || exit 1\n"
            + "as touch \"$data/"
            + MARKER
            + "\" || exit 1\n"
            + "rm -f -- \"$partial\"\n"
            + start();
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script).withStdin(password + "\n").withTimeout(BASE_BACKUP_TIMEOUT));
    if (result.succeeded()) {
      return;
    }
    String why = RemoteScript.masked(RemoteScript.lastLines(result.stderr(), 4), password);
    if (result.exitStatus() == STILL_COPYING) {
      // retryable: the earlier copy ends (or dies) and a later attempt takes over
      throw new IllegalStateException("pg_basebackup on " + host.host() + ": " + why);
    }
    if (result.exitStatus() == NOT_EMPTY) {
      throw Failures.precondition(
          "the standby's data directory "
              + spec.dataDir()
              + " on "
              + host.host()
              + " is not empty: "
              + why);
    }
    String refusal = refusal(spec, host, why);
    if (refusal != null) {
      throw Failures.precondition(
          "the primary "
              + spec.primaryHost()
              + ":"
              + spec.primaryPort()
              + " refused the base backup's replication connection from "
              + host.host()
              + ": "
              + refusal);
    }
    if (why.contains("replication slot") && why.contains("does not exist")) {
      throw Failures.precondition("pg_basebackup on " + host.host() + ": " + why);
    }
    throw new IllegalStateException("pg_basebackup on " + host.host() + " failed: " + why);
  }

  @Override
  public void start(SshTarget host, StandbySpec spec) {
    ssh.execOrFail(
        host, "starting the standby in " + spec.dataDir(), ExecRequest.of(prelude(spec) + start()));
  }

  @Override
  public void remove(SshTarget host, StandbySpec spec) {
    String script =
        prelude(spec)
            + "[ -e \"$data\" ] || { rm -f -- \"$partial\"; exit 0; }\n"
            + "if [ -n \"$(ls -A \"$data\" 2>/dev/null)\" ] && [ ! -f \"$data/"
            + MARKER
            + "\" ] && [ ! -e \"$partial\" ]; then\n"
            + "  echo \"$data holds files but no "
            + MARKER
            + " marker: not a standby Ferry made; left as it is\" >&2; exit "
            + NOT_OURS
            + "\nfi\n"
            + "if as \"$bin/pg_ctl\" -D \"$data\" status >/dev/null 2>&1; then\n"
            + "  as \"$bin/pg_ctl\" -D \"$data\" -m fast -w stop >/dev/null || exit 1\nfi\n"
            + "rm -rf -- \"$data\" && rm -f -- \"$partial\"\n";
    ExecResult result = ssh.exec(host, ExecRequest.of(script));
    if (result.exitStatus() == NOT_OURS) {
      throw Failures.precondition(result.lastErrorLine());
    }
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "removing the standby in "
              + spec.dataDir()
              + " on "
              + host.host()
              + " failed: "
              + result.lastErrorLine());
    }
  }

  private static String start() {
    return "as \"$bin/pg_ctl\" -D \"$data\" -l \"$data/ferry-standby.log\" -w -t 120 start"
        + " >/dev/null || { tail -n 5 \"$data/ferry-standby.log\" >&2; exit 1; }\n";
  }

  /** The variables and the {@code as} function every script starts with. */
  private static String prelude(StandbySpec spec) {
    // without a trailing slash: the partial-copy lock sits beside the directory, not inside it
    String data =
        RemoteScript.absolute(Failures.require("dataDir", spec.dataDir()))
            .replaceAll("(.)/+$", "$1");
    if (data.replaceAll("/+$", "").chars().filter(c -> c == '/').count() < 2
        || data.contains("/../")
        || data.endsWith("/..")) {
      throw Failures.invalidInput(
          "dataDir must be a directory at least two levels deep such as"
              + " /var/lib/postgresql/15/replica, was "
              + data);
    }
    String user = Failures.require("osUser", spec.osUser());
    if (!USER.matcher(user).matches()) {
      throw Failures.invalidInput("osUser must be a login name such as postgres, was " + user);
    }
    return "set -u\ncd / || exit 1\nbin="
        + quote(RemoteScript.absolute(Failures.require("binDir", spec.binDir())))
        + "\ndata="
        + quote(data)
        + "\npartial=\"$data."
        + PARTIAL
        + "\"\nuser="
        + quote(user)
        + "\n"
        + "as() { if [ \"$(id -u)\" = 0 ]; then runuser -p -u \"$user\" -- \"$@\";"
        + " elif [ \"$(id -un)\" = \"$user\" ]; then \"$@\";"
        + " else echo \"log in as root or $user to run PostgreSQL's tools\" >&2; return 1; fi; }\n"
        + "[ -x \"$bin/pg_ctl\" ] || { echo \"no pg_ctl in $bin: install PostgreSQL's server package"
        + " or set binDir\" >&2; exit 1; }\n";
  }
}
