package io.ferry.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.activities.port.WrittenFile;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PgDumpOverSsh} with the real {@code pg_dump} against the embedded server. */
class PgDumpOverSshTest {

  @TempDir Path dir;

  /** The major version of the {@code pg_dump} on the PATH, or 0 when there is none. */
  private static int pgDumpMajor() throws Exception {
    for (String d : System.getenv("PATH").split(":")) {
      Path tool = Path.of(d, "pg_dump");
      if (Files.isExecutable(tool)) {
        Process p = new ProcessBuilder(tool.toString(), "--version").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        // "pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)"
        return Integer.parseInt(out.replaceAll("^\\D*(\\d+).*\\s*$", "$1").strip());
      }
    }
    return 0;
  }

  @Test
  void realPgDump_writesACustomFormatDump_withThePasswordOnlyInAPgpassFile() throws Exception {
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    int serverMajor;
    try (Connection c = pg.admin("postgres");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW server_version_num")) {
      r.next();
      serverMajor = r.getInt(1) / 10000;
    }
    int clientMajor = pgDumpMajor();
    assumeTrue(clientMajor > 0, "no pg_dump on the PATH (install postgresql-client)");
    assumeTrue(
        clientMajor >= serverMajor,
        "pg_dump " + clientMajor + " cannot dump the embedded PostgreSQL " + serverMajor);
    try (Connection c = pg.admin(EmbeddedPostgresServer.DATABASE);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS dumped (id int PRIMARY KEY, note text)");
      s.execute("INSERT INTO dumped VALUES (1, 'in the dump') ON CONFLICT DO NOTHING");
    }
    try (TestSshServer server = new TestSshServer(dir);
        SshSessions ssh = new SshSessions(server.secrets())) {
      Path path = dir.resolve("backups/app.dump");

      WrittenFile dump =
          new PgDumpOverSsh(ssh)
              .pgDump(
                  server.target(), pg.target(), EmbeddedPostgresServer.PASSWORD, path.toString());

      byte[] bytes = Files.readAllBytes(path);
      assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
      assertThat(dump.bytes()).isEqualTo(bytes.length);
      assertThat(dump.sha256())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      assertThat(server.commands()).noneMatch(c -> c.contains(EmbeddedPostgresServer.PASSWORD));
    }
  }
}
