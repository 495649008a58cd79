package io.ferry.lab;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * do-transition in the lab: the source VM (sshd, the checkout, its memory store as a real Redis, a
 * dev unit), the vector and app droplets as lab hosts the DigitalOcean stand-in hands out (adopted
 * by tag and by id; the Weaviate stand-in on the vector node, real PostgreSQL 15 on the app node),
 * and Spaces as a real S3 server (S3Proxy) on a host of its own. The rollback run's API unit dies
 * at start-up as an unreachable database would make it.
 */
final class DoTransitionLab implements LabScenario {

  private final TransitionHosts hosts = new TransitionHosts();
  private Lab lab;

  @Override
  public String roadmap() {
    return "do-transition";
  }

  @Override
  public void build(Lab lab, Services services, DigitalOceanStandIn cloud) {
    this.lab = lab;
    hosts.build(lab, services, cloud);
  }

  @Override
  public String plan(String name) {
    TransitionHosts h = hosts;
    // the crash trial moves a second app, so its sync copies a tree rather than finding the happy
    // run's in place (whose API still answers on 8080)
    boolean crash = name.equals(LabTest.Mode.CRASH.planName);
    return """
        roadmap: do-transition
        name: %1$s
        decommissionDay: 14
        app:
          name: %15$s
          port: %16$d
          env:
            LOG_LEVEL: info
        source:
          ssh:
            host: %2$s
            user: root
            privateKey: file:%3$s
            knownHosts: %4$s
          checkoutDir: /opt/cherry_ai-main
          excludes: [node_modules]
          services: [cherry_ai-dev]
        vectorNode:
          tag: cherry-vector
          ssh:
            user: root
            privateKey: file:%3$s
            knownHosts: %4$s
        appNode:
          dropletId: %5$d
          ssh:
            user: root
            privateKey: file:%3$s
            knownHosts: %4$s
        weaviate:
          port: 8080
          apiKey: file:%6$s
        postgres:
          host: %7$s
          database: conductor
          user: conductor
          password: file:%8$s
          sslMode: disable
        memoryStore:
          source:
            url: redis://%2$s:6379/0
            password: file:%9$s
          maxMalformedShare: 0.05
          batchSize: 16
        mcpServer:
          image: ghcr.io/openai/mcp:1.4.2
          volumes: [/opt/%15$s/mcp_server:/app]
          env:
            MCP_MODE: lab
        nodeExporter:
          tarball: %10$s
        thresholds:
          sessionQuery: 2s
          weaviateP95: 2s
          minTps: 20
          pgbenchClients: 2
          pgbenchDuration: 5s
          samples: 5
        archive:
          endpoint: http://%11$s:9000
          bucket: cherry-archives
          prefix: paperspace/%1$s/
          accessKey: file:%12$s
          secretKey: file:%13$s
          localDir: %14$s
        watch:
          interval: 24h
        backups:
          directory: /opt/backups
        """
        .formatted(
            name,
            h.source.address(),
            h.clientKey,
            h.knownHosts,
            h.appDropletId,
            h.weaviateKey,
            h.app.address(),
            h.pgPassword,
            h.redisPassword,
            h.exporterTarball,
            h.spaces.address(),
            h.spacesAccess,
            h.spacesSecret,
            lab.dir.resolve("worker-archives"),
            crash ? "cherry_crash" : "cherry_ai",
            crash ? 8081 : 8080);
  }

  @Override
  public Map<String, Path> postgres() {
    return Map.of(hosts.app.name(), hosts.appSocket);
  }

  @Override
  public Map<String, Path> redis() {
    return Map.of(hosts.source.address(), hosts.redisPassword);
  }

  @Override
  public Stop stop() {
    return null;
  }

  @Override
  public Rollback rollback() {
    return new Rollback(
        "start-api-service", "cherry-ai-api failed to start", hosts::failApiAtStart);
  }

  @Override
  public java.time.Duration soakOnSkippedTime() {
    return java.time.Duration.ofDays(1); // the plan's watch.interval: 14 rounds to day 14
  }

  @Override
  public String crashStep() {
    return "sync-code";
  }

  @Override
  public Map<String, String> touched() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("find-vector-node", "stand-in: DigitalOcean API (droplet tagged: lab host dtvec)");
    t.put("verify-vector-node", "real: OpenSSH (known_hosts); stand-in: docker ps");
    t.put("find-app-node", "stand-in: DigitalOcean API (droplet by id: lab host dtapp)");
    t.put("verify-app-node", "real: OpenSSH, psql -l as conductor, PostgreSQL 15");
    t.put("sync-code", "real: OpenSSH both sides, find, sha256sum, tar streams, files and modes");
    t.put("install-python-env", "real: python3 -m venv, pip (local requirements, no index)");
    t.put("ensure-session-collection", "stand-in: Weaviate");
    t.put("migrate-memory", "real: Redis (source's memory store); stand-in: Weaviate");
    t.put("write-env-file", "real: OpenSSH, files (0600, previous .env kept)");
    t.put(
        "start-api-service",
        "real: OpenSSH, files (unit); stand-in: systemctl (a responder on :8080)");
    t.put("run-mcp-server", "real: OpenSSH; stand-in: docker run");
    t.put(
        "install-node-exporter",
        "real: OpenSSH, SFTP upload, tar; stand-in: systemctl, node exporter (/proc numbers)");
    t.put("probe-api-health", "stand-in: the API unit's responder (checks the .env's database)");
    t.put("probe-weaviate-ready", "stand-in: Weaviate");
    t.put("probe-session-query", "stand-in: the API unit's responder");
    t.put("probe-weaviate-p95", "stand-in: Weaviate");
    t.put("probe-postgres-tps", "real: OpenSSH, pgbench and psql against PostgreSQL 15");
    t.put("archive-source", "real: OpenSSH, tar, sha256sum, SFTP; S3 API (S3Proxy)");
    t.put(
        "soak",
        "stand-in: node exporter (the machine's real /proc numbers), the API's /health, Weaviate"
            + " (daily rounds over 14 days of the test server's skipped time)");
    t.put("stop-source-services", "real: OpenSSH; stand-in: systemctl disable --now");
    t.put("schedule-nightly-backups", "real: OpenSSH, crontab (the host's own spool)");
    return t;
  }

  @Override
  public List<Path> secrets() {
    return hosts.secrets();
  }
}
