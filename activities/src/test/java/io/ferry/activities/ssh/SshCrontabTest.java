package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.host.CronActivitiesImpl;
import io.ferry.contract.CronActivities.CronDisable;
import io.ferry.contract.CronActivities.CronEntriesDisabled;
import io.ferry.contract.CronActivities.CronRestore;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshCrontab} and the cron activities against a real SSH server whose {@code crontab} is a
 * script keeping each user's table in a file: it accepts only {@code [-u USER] -l|-|-r} and refuses
 * a table with a line of too few fields, as cron's does.
 */
class SshCrontabTest {

  private static final String TABLE =
      "# m h dom mon dow command\n"
          + "MAILTO=ops@example.com\n"
          + "0 3 * * * /opt/aurora/bin/nightly-backup.sh --all   \n"
          + "*/5 * * * * /opt/aurora/bin/sync-gmail.sh\n"
          + "\n"
          + "30 1 * * 0 /opt/aurora/bin/rotate-logs.sh";

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshCrontab crontab;
  private Path tables;
  private Path calls;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    crontab = new SshCrontab(ssh);
    tables = Files.createDirectories(dir.resolve("tables"));
    calls = dir.resolve("crontab.calls");
    server.fakeCommand(
        "crontab",
        "printf '%s\\n' \"$*\" >> "
            + Shell.quote(calls.toString())
            + "\nuser=login\n"
            + "if [ \"$1\" = -u ]; then user=$2; shift 2; fi\n"
            + "[ $# -eq 1 ] || { echo \"usage: crontab [-u user] -l|-|-r (got $*)\" >&2; exit 2; }\n"
            + "table="
            + Shell.quote(tables.toString())
            + "/$user\n"
            + "case $1 in\n"
            + "  -l) [ -f \"$table\" ] || { echo \"no crontab for $user\" >&2; exit 1; }; cat \"$table\";;\n"
            + "  -r) [ -f \"$table\" ] || { echo \"no crontab for $user\" >&2; exit 1; }; rm -f \"$table\";;\n"
            + "  -) cat > \"$table.new\"\n"
            + "     if grep -v '^[[:space:]]*#' \"$table.new\" | grep -v '=' | grep -v '^[[:space:]]*$'"
            + " | awk 'NF < 6 {bad=1} END {exit !bad}'; then\n"
            + "       rm -f \"$table.new\"; echo '\"-\":1: bad minute' >&2;"
            + " echo 'errors in crontab file, can'\"'\"'t install.' >&2; exit 1; fi\n"
            + "     mv \"$table.new\" \"$table\";;\n"
            + "  *) echo \"unknown option $1\" >&2; exit 2;;\n"
            + "esac\n");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void readReplaceRemove_keepTheTableExactly_andNoCrontabIsEmpty() throws Exception {
    assertThat(crontab.readCrontab(server.target(), "backup")).isEmpty();

    crontab.replaceCrontab(server.target(), "backup", TABLE);

    assertThat(Files.readString(tables.resolve("backup"))).isEqualTo(TABLE);
    assertThat(crontab.readCrontab(server.target(), "backup")).contains(TABLE);
    crontab.removeCrontab(server.target(), "backup");
    crontab.removeCrontab(server.target(), "backup");
    assertThat(crontab.readCrontab(server.target(), "backup")).isEmpty();
    assertThat(Files.readAllLines(calls))
        .containsExactly(
            "-u backup -l",
            "-u backup -",
            "-u backup -l",
            "-u backup -r",
            "-u backup -r",
            "-u backup -l");
  }

  @Test
  void malformedTable_isRefusedWithCronsMessage_andTheOldOneStays() {
    crontab.replaceCrontab(server.target(), null, TABLE);

    assertThatThrownBy(() -> crontab.replaceCrontab(server.target(), null, "0 3 * backup.sh\n"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
              assertThat(f.getOriginalMessage()).contains("bad minute");
            });
    assertThat(crontab.readCrontab(server.target(), null)).contains(TABLE);
  }

  @Test
  void hostileUserName_isRefusedBeforeAnyCommand() {
    assertThatThrownBy(() -> crontab.readCrontab(server.target(), "x; rm -rf /"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThat(server.commandsRun()).isZero();
  }

  @Test
  void disableEntries_twice_thenRestore_givesBackTheTableByteForByte() throws Exception {
    crontab.replaceCrontab(server.target(), "aurora", TABLE);
    CronActivitiesImpl cron = new CronActivitiesImpl(crontab);
    CronDisable disable =
        new CronDisable(
            server.target(), "aurora", List.of("nightly-backup.sh", "sync-gmail"), "sn/cron");

    CronEntriesDisabled first = cron.disableCronEntries(disable);
    CronEntriesDisabled again = cron.disableCronEntries(disable);

    assertThat(first.disabled()).isEqualTo(2);
    assertThat(again.disabled()).isZero();
    assertThat(again.alreadyDisabled()).isEqualTo(2);
    String disabled = Files.readString(tables.resolve("aurora"));
    assertThat(disabled.lines().filter(l -> !l.startsWith("#") && l.contains(".sh")))
        .containsExactly("30 1 * * 0 /opt/aurora/bin/rotate-logs.sh");
    cron.restoreCronEntries(new CronRestore(server.target(), "aurora", "sn/cron"));
    cron.restoreCronEntries(new CronRestore(server.target(), "aurora", "sn/cron"));
    assertThat(Files.readString(tables.resolve("aurora"))).isEqualTo(TABLE);
  }

  @Test
  void disableAnEntryThatIsNotThere_changesNothingAndNamesIt() throws Exception {
    crontab.replaceCrontab(server.target(), "aurora", TABLE);
    CronActivitiesImpl cron = new CronActivitiesImpl(crontab);

    assertThatThrownBy(
            () ->
                cron.disableCronEntries(
                    new CronDisable(
                        server.target(),
                        "aurora",
                        List.of("sync-gmail", "crm-import.sh"),
                        "sn/cron")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.getOriginalMessage()).contains("crm-import.sh").doesNotContain("[sync");
            });
    assertThat(Files.readString(tables.resolve("aurora"))).isEqualTo(TABLE);
    cron.restoreCronEntries(new CronRestore(server.target(), "nobody", "sn/cron"));
  }
}
