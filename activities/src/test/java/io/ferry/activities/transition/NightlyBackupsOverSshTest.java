package io.ferry.activities.transition;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.ssh.Shell;
import io.ferry.activities.ssh.SshCrontab;
import io.ferry.activities.ssh.SshHostFiles;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.TransitionActivities.CronLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly backups over the in-process SSH server: a fake {@code crontab} keeping the login
 * user's table in a file accepts only {@code -l}, {@code -} and {@code -r} (as cron's does) and
 * refuses a line of too few fields; the table kept for the undo lives on the "host".
 */
class NightlyBackupsOverSshTest {

  private static final String BEFORE =
      "MAILTO=ops@example.com\n0 4 * * 0 /opt/cherry-ai/bin/rotate-logs.sh   \n";
  private static final List<String> LINES =
      List.of(
          "0 2 * * * pg_dump -U cherry cherry_ai | gzip > /backups/cherry_ai-$(date +\\%F).sql.gz",
          "0 3 * * * curl -fsS -X POST http://localhost:8000/api/backup/weaviate");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private Path table;
  private Path calls;
  private NightlyBackups backups;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir.resolve("server"));
    ssh = new SshSessions(server.secrets());
    table = dir.resolve("crontab-of-login");
    calls = dir.resolve("crontab.calls");
    server.fakeCommand(
        "crontab",
        "printf '%s\\n' \"$*\" >> "
            + Shell.quote(calls.toString())
            + "\ntable="
            + Shell.quote(table.toString())
            + "\n[ $# -eq 1 ] || { echo \"usage: crontab -l|-|-r (got $*)\" >&2; exit 2; }\n"
            + "case $1 in\n"
            + "  -l) [ -f \"$table\" ] || { echo 'no crontab for login' >&2; exit 1; };"
            + " cat \"$table\";;\n"
            + "  -r) [ -f \"$table\" ] || { echo 'no crontab for login' >&2; exit 1; };"
            + " rm -f \"$table\";;\n"
            + "  -) cat > \"$table.new\"\n"
            + "     if grep -v '^#' \"$table.new\" | grep -v '=' | grep -v '^$'"
            + " | awk 'NF < 6 {bad=1} END {exit !bad}'; then\n"
            + "       rm -f \"$table.new\"; echo 'errors in crontab file' >&2; exit 1; fi\n"
            + "     mv \"$table.new\" \"$table\";;\n"
            + "  *) echo \"unknown option $1\" >&2; exit 2;;\n"
            + "esac\n");
    backups =
        new NightlyBackups(
            new SshCrontab(ssh), new SshHostFiles(ssh), dir.resolve("kept").toString());
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void scheduledTwice_addsTheLinesOnceBetweenMarkers_andTheUndoRestoresTheTableExactly()
      throws Exception {
    Files.writeString(table, BEFORE);
    CronLines request = new CronLines(server.target(), null, LINES, "do-transition-dev:backups");

    backups.schedule(request);
    backups.schedule(request);

    String scheduled = Files.readString(table);
    assertThat(scheduled).startsWith(BEFORE);
    assertThat(scheduled.lines().filter(LINES::contains)).hasSize(2);
    assertThat(scheduled)
        .contains("begin (Ferry: nightly backups)\n" + String.join("\n", LINES) + "\n# ");
    assertThat(Files.readAllLines(calls)).containsOnly("-l", "-");

    backups.unschedule(request);
    backups.unschedule(request);

    assertThat(Files.readString(table)).isEqualTo(BEFORE);
    assertThat(dir.resolve("kept/do-transition-dev_backups")).doesNotExist();
  }

  @Test
  void hostWithoutACrontab_getsOne_andTheUndoRemovesIt() throws Exception {
    CronLines request = new CronLines(server.target(), null, LINES, "do-transition-dev:backups");

    backups.schedule(request);
    assertThat(Files.readAllLines(table)).containsAll(LINES);

    backups.unschedule(request);

    assertThat(table).doesNotExist();
    assertThat(Files.readAllLines(calls)).containsExactly("-l", "-", "-r");
  }
}
