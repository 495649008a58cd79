package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.port.ContainersPort.CommandResult;
import io.ferry.activities.port.ContainersPort.ImageBuildSpec;
import io.ferry.activities.port.WrittenFile;
import io.ferry.activities.postgres.PgDumpOverSsh;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host adapters that run tools ({@link SshContainers}, {@link SshHostLogs}, {@link
 * PgDumpOverSsh}) against a real SSH server whose fake {@code docker}, {@code journalctl} and
 * {@code pg_dump} check their argv and stdin and fail on anything unexpected. Secrets are compared
 * by sha256 so not even the fakes hold them.
 */
class SshToolAdaptersTest {

  private static final String TOKEN = "dop_v1_s3cr3t'$(touch /tmp/ferry-pwned) tok";
  private static final String PASSWORD = "pa:ss\\wörd' $HOME \"x";
  private static final String DIGEST = "sha256:" + "ab12".repeat(16);
  private static final String REFERENCE = "registry.digitalocean.com/acme/orchestrator-api:v1.2";
  private static final Path PWNED = Path.of("/tmp/ferry-pwned");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshContainers containers;
  private SshHostLogs logs;
  private PgDumpOverSsh dumps;
  private Path log;

  @BeforeEach
  void start() throws Exception {
    Files.deleteIfExists(PWNED);
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    containers = new SshContainers(ssh);
    logs = new SshHostLogs(ssh);
    dumps = new PgDumpOverSsh(ssh);
    log = dir.resolve("argv.log");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  /** A fake that appends its name and argv (one line, '|' after each word) to the log first. */
  private void fake(String name, String body) throws Exception {
    server.fakeCommand(
        name,
        "printf '%s|' "
            + quote(name)
            + " \"$@\" >> "
            + quote(log.toString())
            + "\necho >> "
            + quote(log.toString())
            + "\n"
            + body);
  }

  private List<String> logged() throws Exception {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private void assertSecretNeverOnACommandLine(String secret) throws Exception {
    assertThat(server.commands()).isNotEmpty().noneMatch(c -> c.contains(secret));
    assertThat(Files.readString(log)).doesNotContain(secret);
    assertThat(PWNED).doesNotExist();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String sha256(String text) throws Exception {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A fake docker that accepts a login with {@link #TOKEN} on stdin and remembers it. */
  private String dockerLogin() throws Exception {
    Path loggedIn = dir.resolve("logged-in");
    return "if [ \"$1\" = login ]; then\n"
        + "  [ \"$*\" = 'login --username ferry@example.com --password-stdin"
        + " registry.digitalocean.com' ] || { echo \"unexpected: $*\" >&2; exit 2; }\n"
        + "  if [ \"$(cat | sha256sum | cut -d ' ' -f 1)\" = "
        + sha256(TOKEN)
        + " ]; then touch "
        + quote(loggedIn.toString())
        + "; echo 'Login Succeeded'; exit 0; fi\n"
        + "  echo 'Error response from daemon: Get \"https://registry.digitalocean.com/v2/\":"
        + " unauthorized: authentication required' >&2; exit 1\n"
        + "fi\n";
  }

  @Test
  void registryLogin_sendsTheTokenOnStdinOnly_andARefusedTokenIsAnAuthFailure() throws Exception {
    fake("docker", dockerLogin() + "echo \"unexpected: $*\" >&2; exit 2\n");

    containers.registryLogin(
        server.target(), "registry.digitalocean.com", "ferry@example.com", TOKEN);
    containers.registryLogin(
        server.target(), "registry.digitalocean.com", "ferry@example.com", TOKEN); // idempotent

    assertThat(dir.resolve("logged-in")).exists();
    assertThat(logged())
        .containsExactly(
            "docker|login|--username|ferry@example.com|--password-stdin|registry.digitalocean.com|",
            "docker|login|--username|ferry@example.com|--password-stdin|registry.digitalocean.com|");
    assertThatThrownBy(
            () ->
                containers.registryLogin(
                    server.target(), "registry.digitalocean.com", "ferry@example.com", "wrong"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(f.getOriginalMessage())
                  .contains("registry.digitalocean.com", "unauthorized")
                  .doesNotContain("wrong");
            });
    assertSecretNeverOnACommandLine(TOKEN);
  }

  /** A fake docker: login as above, build checks its argv, push needs the login. */
  private void dockerBuildAndPush(Path context) throws Exception {
    String ctx = context.toString();
    fake(
        "docker",
        dockerLogin()
            + "case \"$1\" in\n"
            + "  build)\n"
            + "    [ \"$#\" = 8 ] && [ \"$2\" = --file ] && [ \"$3\" = "
            + quote(ctx + "/deploy/Dockerfile")
            + " ] && [ \"$4\" = --target ] && [ \"$5\" = runtime ] && [ \"$6\" = --tag ]"
            + " && [ \"$7\" = "
            + quote(REFERENCE)
            + " ] && [ \"$8\" = "
            + quote(ctx)
            + " ] || { echo \"unexpected build: $*\" >&2; exit 2; }\n"
            + "    echo '#1 [internal] load build definition from Dockerfile'\n"
            + "    if [ -f "
            + quote(ctx + "/broken")
            + " ]; then echo '#5 ERROR: process \"/bin/sh -c make\" did not complete"
            + " successfully: exit code: 2' >&2; exit 1; fi\n"
            + "    echo '#9 naming to "
            + REFERENCE
            + " done' >&2; exit 0 ;;\n"
            + "  push)\n"
            + "    [ \"$*\" = 'push "
            + REFERENCE
            + "' ] || { echo \"unexpected push: $*\" >&2; exit 2; }\n"
            + "    [ -f "
            + quote(dir.resolve("logged-in").toString())
            + " ] || { echo 'denied: requested access to the resource is denied' >&2; exit 1; }\n"
            + "    echo 'The push refers to repository [registry.digitalocean.com/acme/orchestrator-api]'\n"
            + "    echo '5f70bf18a086: Layer already exists'\n"
            + "    if [ -f "
            + quote(dir.resolve("quiet-push").toString())
            + " ]; then exit 0; fi\n"
            + "    echo 'v1.2: digest: "
            + DIGEST
            + " size: 1573'; exit 0 ;;\n"
            + "  image)\n"
            + "    [ \"$*\" = 'image inspect --format {{range .RepoDigests}}{{println .}}{{end}} "
            + REFERENCE
            + "' ] || { echo \"unexpected inspect: $*\" >&2; exit 2; }\n"
            + "    echo 'registry.digitalocean.com/acme/other@sha256:"
            + "0".repeat(64)
            + "'\n"
            + "    echo 'registry.digitalocean.com/acme/orchestrator-api@"
            + DIGEST
            + "'; exit 0 ;;\n"
            + "esac\n"
            + "echo \"unexpected: $*\" >&2; exit 2\n");
  }

  @Test
  void buildAndPush_buildsTagsAndPushes_returnsTheDigest_andARetryPushesAgain() throws Exception {
    Path context = Files.createDirectories(dir.resolve("src/it's $(id) dir"));
    dockerBuildAndPush(context);
    ImageBuildSpec spec =
        new ImageBuildSpec(context.toString(), "deploy/Dockerfile", "runtime", REFERENCE);

    assertThatThrownBy(() -> containers.buildAndPush(server.target(), spec))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(f.getOriginalMessage()).contains(REFERENCE, "denied");
            });
    containers.registryLogin(
        server.target(), "registry.digitalocean.com", "ferry@example.com", TOKEN);

    assertThat(containers.buildAndPush(server.target(), spec)).isEqualTo(DIGEST);
    assertThat(containers.buildAndPush(server.target(), spec)).isEqualTo(DIGEST);
    String build =
        "docker|build|--file|"
            + context
            + "/deploy/Dockerfile|--target|runtime|--tag|"
            + REFERENCE
            + "|"
            + context
            + "|";
    assertThat(logged())
        .containsExactly(
            build,
            "docker|push|" + REFERENCE + "|",
            "docker|login|--username|ferry@example.com|--password-stdin|registry.digitalocean.com|",
            build,
            "docker|push|" + REFERENCE + "|",
            build,
            "docker|push|" + REFERENCE + "|");

    // a push that prints no digest: the one docker recorded for this repository
    Files.writeString(dir.resolve("quiet-push"), "");
    assertThat(containers.buildAndPush(server.target(), spec)).isEqualTo(DIGEST);
    assertSecretNeverOnACommandLine(TOKEN);
  }

  @Test
  void buildAndPush_aFailedBuildIsAPreconditionWithItsLastLines_andNothingIsPushed()
      throws Exception {
    Path context = Files.createDirectories(dir.resolve("src"));
    Files.writeString(context.resolve("broken"), "");
    dockerBuildAndPush(context);

    assertThatThrownBy(
            () ->
                containers.buildAndPush(
                    server.target(),
                    new ImageBuildSpec(
                        context.toString(), "deploy/Dockerfile", "runtime", REFERENCE)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
              assertThat(f.getOriginalMessage())
                  .contains("docker build of " + REFERENCE, "did not complete successfully");
            });
    assertThat(logged()).noneMatch(l -> l.startsWith("docker|push|"));
    assertThatThrownBy(
            () ->
                containers.buildAndPush(
                    server.target(),
                    new ImageBuildSpec(context.toString(), "../Dockerfile", null, REFERENCE)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
    assertThatThrownBy(
            () ->
                containers.buildAndPush(
                    server.target(),
                    new ImageBuildSpec(
                        dir.resolve("absent").toString(), "Dockerfile", null, REFERENCE)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND));
  }

  @Test
  void runContainer_passesEnvThroughAPrivateFileRemovedAfter_andReturnsExitAndTail()
      throws Exception {
    Path seen = dir.resolve("env-file-seen");
    String image = REFERENCE;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", "postgresql://app:" + PASSWORD + "@db:25060/app?sslmode=require");
    env.put("EMPTY", "");
    String expectedEnvFile =
        "DATABASE_URL=postgresql://app:" + PASSWORD + "@db:25060/app?sslmode=require\nEMPTY=\n";
    fake(
        "docker",
        "[ \"$1 $2 $3\" = 'run --rm --env-file' ] && [ \"$5\" = "
            + quote(image)
            + " ] || { echo \"unexpected: $*\" >&2; exit 2; }\n"
            + "printf '%s %s\\n' \"$4\" \"$(stat -c %a -- \"$4\")\" > "
            + quote(seen.toString())
            + "\n[ \"$(sha256sum < \"$4\" | cut -d ' ' -f 1)\" = "
            + sha256(expectedEnvFile)
            + " ] || { echo 'env file differs' >&2; exit 2; }\n"
            + "[ -t 0 ] && { echo 'stdin is a terminal' >&2; exit 2; }\n"
            + "shift 5\n"
            + "i=0; while [ $i -lt 300 ]; do echo \"applying migration $i of 300\"; i=$((i+1));"
            + " done\n"
            + "echo \"ran: $*\" >&2\n"
            + "exit \"$2\"\n");

    CommandResult ok =
        containers.runContainer(server.target(), image, List.of("migrate", "0", "it's up"), env);
    String[] fileAndMode = Files.readString(seen).strip().split(" ");
    CommandResult failed =
        containers.runContainer(server.target(), image, List.of("migrate", "3", "$(id)"), env);

    assertThat(ok.exitCode()).isZero();
    assertThat(ok.outputTail()).endsWith("applying migration 299 of 300\nran: migrate 0 it's up\n");
    assertThat(ok.outputTail().getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(fileAndMode[1]).isEqualTo("600");
    assertThat(Path.of(fileAndMode[0])).doesNotExist();
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.outputTail()).endsWith("ran: migrate 3 $(id)\n");
    assertThat(Path.of(Files.readString(seen).strip().split(" ")[0])).doesNotExist();
    assertSecretNeverOnACommandLine(PASSWORD);
    assertThatThrownBy(
            () ->
                containers.runContainer(
                    server.target(), image, List.of("x"), Map.of("MULTI", "a\nLINE=b")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
              assertThat(f.getOriginalMessage()).contains("MULTI").doesNotContain("LINE=b");
            });
  }

  @Test
  void exportJournal_streamsTheGzippedJournalToTheWorker_withSizeAndSha256() throws Exception {
    StringBuilder journal = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      journal.append("2026-11-22T07:0").append(i % 10).append(":00+0000 web-1 app[42]: line ");
      journal.append(i).append(" ünïcode\n");
    }
    Path source = Files.writeString(dir.resolve("journal.txt"), journal);
    fake(
        "journalctl",
        "[ \"$*\" = '-u orchestra-api.service -u weaviate@main.service --since 2026-11-22"
            + " 06:30:00 UTC -o short-iso --no-pager' ] || { echo \"unexpected: $*\" >&2; exit 2;"
            + " }\nexec cat "
            + quote(source.toString())
            + "\n");
    Path local = dir.resolve("worker/logs/run-1-journal.gz");
    Files.createDirectories(local.getParent());
    Files.writeString(local, "an older, partial export");

    WrittenFile file =
        logs.exportJournal(
            server.target(),
            List.of("orchestra-api.service", "weaviate@main.service"),
            Instant.parse("2026-11-22T06:30:00.250Z"),
            local.toString());

    byte[] gz = Files.readAllBytes(local);
    assertThat(file.path()).isEqualTo(local.toString());
    assertThat(file.bytes()).isEqualTo(gz.length);
    assertThat(file.sha256()).isEqualTo(sha256(gz));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(local))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(journal.toString());
    }
    try (Stream<Path> files = Files.list(local.getParent())) {
      assertThat(files).containsExactly(local); // no temporary file left
    }
  }

  @Test
  void exportJournal_aFailingJournalctlFailsNamingIt_andKeepsTheOldFile() throws Exception {
    fake("journalctl", "echo 'Failed to open journal: Permission denied' >&2\nexit 1\n");
    Path local = dir.resolve("journal.gz");
    Files.writeString(local, "previous");

    assertThatThrownBy(
            () ->
                logs.exportJournal(
                    server.target(), List.of("app.service"), Instant.now(), local.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("app.service")
        .hasMessageContaining("journalctl exited 1")
        .hasMessageContaining("Permission denied");
    assertThat(Files.readString(local)).isEqualTo("previous");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
    assertThatThrownBy(
            () ->
                logs.exportJournal(
                    server.target(), List.of("-x; rm -rf /"), Instant.now(), local.toString()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT));
  }

  private PostgresTarget database() {
    return new PostgresTarget(
        "db-postgresql-fra1.example.com", 25060, "app", "ferry", SecretRef.of("env:X"), "require");
  }

  /** A fake pg_dump: checks argv, PGPASSFILE (0600, the expected line) and writes a dump. */
  private void fakePgDump() throws Exception {
    String pgpass = "*:*:*:*:" + PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n";
    fake(
        "pg_dump",
        "[ \"$#\" = 12 ] && [ \"$*\" = '--format=custom --no-password --host"
            + " db-postgresql-fra1.example.com --port 25060 --username ferry --dbname app --file "
            + "'\"${12}\" ] || { echo \"pg_dump: error: unexpected: $*\" >&2; exit 2; }\n"
            + "[ \"$PGSSLMODE\" = require ] || { echo 'pg_dump: error: no sslmode' >&2; exit 2; }\n"
            + "printf '%s\\n' \"PGPASSFILE=$PGPASSFILE $(stat -c %a -- \"$PGPASSFILE\")\" >> "
            + quote(log.toString())
            + "\nif [ \"$(sha256sum < \"$PGPASSFILE\" | cut -d ' ' -f 1)\" != "
            + sha256(pgpass)
            + " ]; then echo 'pg_dump: error: connection to server at"
            + " \"db-postgresql-fra1.example.com\", port 25060 failed: FATAL:  password"
            + " authentication failed for user \"ferry\"' >&2; exit 1; fi\n"
            + "printf 'PGDMP\\001\\016\\000custom dump of app' > \"${12}\"\n");
  }

  @Test
  void pgDump_passesThePasswordInAPrivatePgpassFile_writesTheDumpByRename_andKeepsIt()
      throws Exception {
    fakePgDump();
    Path dump = dir.resolve("backups/it's run-1.dump");

    WrittenFile first = dumps.pgDump(server.target(), database(), PASSWORD, dump.toString());
    WrittenFile again = dumps.pgDump(server.target(), database(), PASSWORD, dump.toString());

    byte[] bytes = Files.readAllBytes(dump);
    assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
    assertThat(first).isEqualTo(new WrittenFile(dump.toString(), bytes.length, sha256(bytes)));
    assertThat(again).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)))
        .isEqualTo("rw-------");
    List<String> lines = logged();
    assertThat(lines).hasSize(2); // the second call kept the complete dump
    assertThat(lines.get(0)).startsWith("pg_dump|--format=custom|");
    String pgpassAndMode = lines.get(1).substring("PGPASSFILE=".length());
    assertThat(pgpassAndMode).endsWith(" 600");
    assertThat(Path.of(pgpassAndMode.substring(0, pgpassAndMode.lastIndexOf(' ')))).doesNotExist();
    try (Stream<Path> files = Files.list(dump.getParent())) {
      assertThat(files).containsExactly(dump);
    }
    assertSecretNeverOnACommandLine(PASSWORD);
  }

  @Test
  void pgDump_aRefusedPasswordIsAnAuthFailure_andLeavesNothing() throws Exception {
    fakePgDump();
    Path dump = dir.resolve("backups/run-1.dump");

    assertThatThrownBy(() -> dumps.pgDump(server.target(), database(), "wrong", dump.toString()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.AUTH);
              assertThat(f.getOriginalMessage())
                  .contains("password authentication failed")
                  .doesNotContain("wrong");
            });
    try (Stream<Path> files = Files.list(dump.getParent())) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void missingTools_arePreconditionsSayingWhatToInstall() throws Exception {
    try (TestSshServer bare = new TestSshServer(dir.resolve("bare"), false);
        SshSessions bareSsh = new SshSessions(bare.secrets())) {
      Files.createSymbolicLink(bare.bin().resolve("sh"), Path.of("/bin/sh")); // and nothing else
      SshContainers bareContainers = new SshContainers(bareSsh);
      assertThatThrownBy(
              () ->
                  bareContainers.registryLogin(
                      bare.target(), "registry.digitalocean.com", "u", TOKEN))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
                assertThat(f.getOriginalMessage()).contains("docker is not installed", "install");
              });
      assertThatThrownBy(
              () -> bareContainers.runContainer(bare.target(), REFERENCE, List.of("x"), Map.of()))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getOriginalMessage()).contains("docker is not installed"));
      assertThatThrownBy(
              () ->
                  new SshHostLogs(bareSsh)
                      .exportJournal(
                          bare.target(),
                          List.of("app.service"),
                          Instant.now(),
                          dir.resolve("j.gz").toString()))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getOriginalMessage()).contains("journalctl is not installed"));
      assertThatThrownBy(
              () ->
                  new PgDumpOverSsh(bareSsh)
                      .pgDump(
                          bare.target(), database(), PASSWORD, dir.resolve("x.dump").toString()))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
                assertThat(f.getOriginalMessage())
                    .contains("pg_dump is not installed", "postgresql-client");
              });
    }
  }
}
