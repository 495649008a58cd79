package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * do-transition's lab hosts and what is on them before a run: the source VM's checkout (with a
 * venv, .git and node_modules the sync must leave out), dev unit and memory store; the vector
 * node's Weaviate; the app node's PostgreSQL, operator-written .env and empty crontab; Spaces.
 * Units, crontabs and /var/tmp are each host's own (bound over the machine's in its sshd's mount
 * namespace, under /usr/local/var/lab-root, so the snapshots compare them).
 */
final class TransitionHosts {

  static final int MEMORY_ITEMS = 60;
  static final int CHECKOUT_FILES = 600; // two of the sync's batches

  LabHost source;
  LabHost vector;
  LabHost app;
  LabHost spaces;
  long appDropletId;
  Path clientKey;
  Path knownHosts;
  Path pgPassword;
  Path redisPassword;
  Path weaviateKey;
  Path spacesAccess;
  Path spacesSecret;
  Path appSocket;
  Path exporterTarball;
  private Path doToken;
  private Path superPassword;

  void build(Lab lab, Services services, DigitalOceanStandIn cloud) {
    source = lab.host("dtsrc", 61);
    vector = lab.host("dtvec", 62);
    app = lab.host("dtapp", 63);
    spaces = lab.host("dtspaces", 64);
    clientKey = services.clientKey();
    knownHosts = services.knownHosts();
    pgPassword = services.secret("dt_pg_password");
    redisPassword = services.secret("dt_redis_password");
    weaviateKey = services.secret("dt_weaviate_key");
    spacesAccess = services.secret("dt_spaces_access");
    spacesSecret = services.secret("dt_spaces_secret");
    superPassword = services.secret("dt_pg_super");
    doToken = cloud.token;

    // the source VM
    services.sshd(source, null, ownDirs(source, false));
    TransitionTools.install(source);
    checkout(source.opt().resolve("cherry_ai-main"));
    write(
        source,
        "usr-local/var/lab-root/etc-systemd-system/cherry_ai-dev.service",
        "[Unit]\nDescription=cherry_ai dev server\n\n[Service]\nExecStart=/usr/bin/true\n\n"
            + "[Install]\nWantedBy=multi-user.target\n");
    write(source, "usr-local/var/units/cherry_ai-dev", "enabled\n");
    services.redis(source, redisPassword);
    seedMemory();

    // the vector droplet: Weaviate runs there already (docker ps shows it)
    services.sshd(vector, null, ownDirs(vector, false));
    TransitionTools.install(vector);
    write(
        vector,
        "usr-local/var/docker/containers/weaviate",
        "5e1f0c2a9b7d semitechnologies/weaviate:1.24.1 true\n");
    lab.start(
        "Weaviate stand-in on " + vector.name(),
        Cmd.in(
            vector.namespace(),
            java(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            WeaviateStandInServer.class.getName(),
            vector.address(),
            "8080",
            weaviateKey.toString()),
        vector.dir().resolve("weaviate.log"));
    cloud.dropletAt("cherry-vector-01", vector.address());
    cloud.api.seedDroplet("cherry-vector-01", "sfo2", List.of("cherry-vector"));

    // the app droplet: PostgreSQL 15 with the app's role and database, an operator's .env
    appSocket = services.postgres(app, superPassword);
    Services.psql(
        appSocket, "CREATE ROLE conductor LOGIN PASSWORD '" + Services.read(pgPassword) + "'");
    Services.psql(appSocket, "CREATE DATABASE conductor OWNER conductor");
    Map<String, Path> appDirs = ownDirs(app, true);
    appDirs.put("/run/postgresql", appSocket); // psql's default socket directory
    services.sshd(app, null, appDirs);
    TransitionTools.install(app);
    write(app, "opt/cherry_ai/.env", "# by hand, before Ferry\nLOG_LEVEL=debug\n");
    Cmd.ok("chmod", "640", app.opt().resolve("cherry_ai/.env").toString());
    cloud.dropletAt("cherry-app-01", app.address());
    appDropletId = cloud.api.seedDroplet("cherry-app-01", "sfo2", List.of("cherry"));

    // Spaces: a real S3 API server, its objects under /usr/local/var (compared by the snapshots)
    Path objects = spaces.dir().resolve("usr-local/var/spaces");
    mkdirs(objects);
    lab.start(
        "Spaces (S3Proxy) on " + spaces.name(),
        Cmd.in(
            spaces.namespace(),
            java(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            SpacesServer.class.getName(),
            spaces.address(),
            "9000",
            objects.toString(),
            spacesAccess.toString(),
            spacesSecret.toString(),
            "cherry-archives"),
        spaces.dir().resolve("spaces.log"));

    exporterTarball = exporterRelease(lab.dir.resolve("worker-artifacts"));
    Services.awaitPort(vector.address(), 8080, 120); // JVMs starting on a loaded machine
    Services.awaitPort(spaces.address(), 9000, 120);
  }

  /** Turns the rollback run's world failure on or off: the API unit dies at start-up. */
  void failApiAtStart(boolean on) {
    Path flag = app.dir().resolve(TransitionTools.FAIL_API);
    try {
      if (on) {
        Files.writeString(flag, "the lab's injected failure\n");
      } else {
        Files.deleteIfExists(flag);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Path> secrets() {
    return List.of(
        clientKey,
        pgPassword,
        superPassword,
        redisPassword,
        weaviateKey,
        spacesAccess,
        spacesSecret,
        doToken);
  }

  /** The machine's directories a host gets its own of (bound in its sshd's mount namespace). */
  private static Map<String, Path> ownDirs(LabHost host, boolean cron) {
    Path root = host.dir().resolve("usr-local/var/lab-root");
    Map<String, Path> dirs = new LinkedHashMap<>();
    dirs.put("/etc/systemd/system", mkdirs(root.resolve("etc-systemd-system")));
    dirs.put("/var/tmp", mkdirs(root.resolve("var-tmp")));
    if (cron) {
      Path crontabs = mkdirs(root.resolve("var-spool-cron/crontabs"));
      Cmd.ok("chown", "root:crontab", crontabs.toString());
      Cmd.ok("chmod", "1730", crontabs.toString());
      dirs.put("/var/spool/cron", root.resolve("var-spool-cron"));
    }
    return dirs;
  }

  /** A development checkout: code, requirements pip can meet without an index, and data files. */
  private static void checkout(Path dir) {
    write(dir.resolve("core/__init__.py"), "");
    write(dir.resolve("core/api/__init__.py"), "");
    write(dir.resolve("core/api/main.py"), "app = None  # the ASGI app (lab checkout)\n");
    write(
        dir.resolve("requirements/base.txt"),
        "# the lab has no package index: pip must not reach the internet\n--no-index\n");
    write(dir.resolve("mcp_server/server.py"), "print('mcp')\n");
    write(dir.resolve("scripts/do-sync.sh"), "#!/bin/sh\necho sync\n");
    Cmd.ok("chmod", "750", dir.resolve("scripts/do-sync.sh").toString());
    for (int i = 0; i < CHECKOUT_FILES; i++) {
      write(
          dir.resolve("data/prompts/prompt-" + i + ".txt"),
          ("prompt " + i + " of the lab's checkout\n").repeat(40 + i));
    }
    // left out of the sync and the archive
    write(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    write(dir.resolve("venv/bin/python"), "#!/bin/sh\n");
    write(dir.resolve("node_modules/left-pad/index.js"), "module.exports = 1;\n");
  }

  /** Memory items as the source keeps them (JSON strings), one of them malformed. */
  private void seedMemory() {
    StringBuilder commands = new StringBuilder();
    for (int i = 0; i < MEMORY_ITEMS; i++) {
      commands.append(
          "SET memory:%d '{\"text\":\"turn %d of the lab thread\",\"threadId\":\"t%d\",\"speaker\":\"%s\",\"domain\":\"billing\",\"timestamp\":\"2026-01-02T03:04:05Z\"}'\n"
              .formatted(i, i, i % 5, i % 2 == 0 ? "user" : "assistant"));
    }
    commands.append("SET memory:broken 'not json'\n");
    Path file = source.dir().resolve("redis/seed.txt");
    write(file, commands.toString());
    Cmd.ok(
        "sh",
        "-c",
        "REDISCLI_AUTH=\"$(cat \"$1\")\" redis-cli -h \"$2\" < \"$3\" > /dev/null",
        "seed",
        redisPassword.toString(),
        source.address(),
        file.toString());
  }

  /** node_exporter-1.7.0.linux-amd64.tar.gz as the release is laid out. */
  private static Path exporterRelease(Path dir) {
    String release = "node_exporter-1.7.0.linux-amd64";
    Path staging = dir.resolve("staging");
    write(staging.resolve(release + "/node_exporter"), TransitionTools.NODE_EXPORTER);
    write(staging.resolve(release + "/LICENSE"), "Apache License 2.0 (lab copy)\n");
    Cmd.ok("chmod", "755", staging.resolve(release + "/node_exporter").toString());
    Path tarball = dir.resolve(release + ".tar.gz");
    Cmd.ok("tar", "-czf", tarball.toString(), "-C", staging.toString(), release);
    return tarball;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void write(LabHost host, String relative, String text) {
    write(host.dir().resolve(relative), text);
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
