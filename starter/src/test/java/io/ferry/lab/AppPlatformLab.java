package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * app-platform in the lab: the droplet (a lab host the DigitalOcean stand-in lists; sshd, the build
 * contexts under /opt, docker as a script whose pushes reach the stand-in's registry, real
 * journalctl and pg_dump), the database host (PostgreSQL 15 and Redis, both over TLS only, as
 * DigitalOcean's managed ones), and the edge (nginx over TLS answering as the apps' ingress and as
 * the domain's hosts once DNS points there). App Platform, DOCR and the DNS API are the stand-in.
 * The rollback run makes nginx answer 503 for the production app, so smoke-production fails after
 * everything before it was done.
 */
final class AppPlatformLab implements LabScenario {

  private static final String PRODUCTION_HOST = "lightclick-x7k2q.ondigitalocean.app";
  private static final String STAGING_HOST = "lightclick-staging-x7k2q.ondigitalocean.app";

  private Lab lab;
  private DigitalOceanStandIn cloud;
  private LabHost droplet;
  private LabHost db;
  private Path clientKey;
  private Path knownHosts;
  private Path pgPassword;
  private Path valkeyPassword;
  private Path registryToken;
  private Path databaseUrl;
  private Path jwtSecret;
  private Path dbSocket;
  private Path redisCa;
  private Path failProduction;
  private String cluster;
  private Path spec;

  @Override
  public String roadmap() {
    return "app-platform";
  }

  @Override
  public void build(Lab lab, Services services, DigitalOceanStandIn cloud) {
    this.lab = lab;
    this.cloud = cloud;
    droplet = lab.host("apdrop", 31);
    db = lab.host("apdb", 32);
    LabHost edge = lab.host("apedge", 33);
    clientKey = services.clientKey();
    knownHosts = services.knownHosts();
    pgPassword = services.secret("ap_pg_password");
    valkeyPassword = services.secret("ap_valkey_password");
    registryToken = services.secret("ap_docr_token");
    databaseUrl = services.secret("ap_database_url");
    jwtSecret = services.secret("ap_jwt_secret");
    services.sshd(droplet, null);
    Tools.install(droplet);
    try {
      Path backend = droplet.opt().resolve("lightclick/backend");
      Path frontend = droplet.opt().resolve("lightclick/frontend");
      Files.createDirectories(backend);
      Files.createDirectories(frontend);
      Files.writeString(
          backend.resolve("Dockerfile"), "FROM python:3.12-slim AS production\nCOPY . /app\n");
      Files.writeString(
          backend.resolve("Dockerfile.worker"), "FROM python:3.12-slim\nCOPY . /app\n");
      Files.writeString(
          frontend.resolve("Dockerfile"), "FROM node:22-alpine AS production\nCOPY . /app\n");
      Path specDir = lab.dir.resolve("lightclick/.do");
      Files.createDirectories(specDir);
      spec = specDir.resolve("app.yaml");
      Files.writeString(
          spec,
          """
          name: lightclick
          services:
            - name: backend
              http_port: 8000
            - name: frontend
              http_port: 3000
          workers:
            - name: worker
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dbSocket = services.postgres(db, services.secret("ap_pg_super"), true);
    Services.psql(
        dbSocket, "CREATE ROLE lightclick LOGIN PASSWORD '" + Services.read(pgPassword) + "'");
    Services.psql(dbSocket, "CREATE DATABASE lightclick OWNER lightclick");
    redisCa = services.redis(db, valkeyPassword, true);
    // the apps' ingress and the domain's hosts: real nginx over TLS
    failProduction = edge.dir().resolve("fail-production");
    Path[] cert =
        Tls.selfSigned(
            edge.dir(),
            "edge",
            List.of(
                STAGING_HOST,
                PRODUCTION_HOST,
                "www.lightclick.lab.example",
                "app.lightclick.lab.example"),
            List.of());
    Tls.trust(cloud.trustStore, "lab-edge", cert[0]);
    String tls =
        "listen "
            + edge.address()
            + ":443 ssl; ssl_certificate "
            + cert[0]
            + "; ssl_certificate_key "
            + cert[1]
            + ";";
    services.nginx(
        edge,
        "server { "
            + tls
            + " server_name "
            + PRODUCTION_HOST
            + ";\n"
            + "  location / { if (-f "
            + failProduction
            + ") { return 503 \"failing\\n\"; }"
            + " return 200 \"lightclick production\\n\"; } }\n"
            + "server { "
            + tls
            + " server_name "
            + STAGING_HOST
            + " www.lightclick.lab.example app.lightclick.lab.example;\n"
            + "  location / { return 200 \"lightclick\\n\"; } }");
    Services.awaitPort(edge.address(), 443);
    for (String name :
        List.of(
            STAGING_HOST,
            PRODUCTION_HOST,
            "www.lightclick.lab.example",
            "app.lightclick.lab.example")) {
      cloud.resolve(name, edge.address());
    }
    cloud.dropletAt("lightclick-web", droplet.address());
    cloud.registryFor(droplet);
    cloud.api.seedRegistry("lightclick", Map.of());
    cluster = cloud.api.seedDatabase("lightclick-db", "pg", 3);
    cloud.api.seedDomain("lightclick.lab.example", "www", "A", droplet.address(), 300);
    cloud.api.seedDomain("lightclick.lab.example", "app", "A", droplet.address(), 300);
  }

  @Override
  public String plan(String name) {
    long dropletId = cloud.api.seedDroplet("lightclick-web", "fra1", List.of("lightclick"));
    return """
        roadmap: app-platform
        name: %1$s
        appSpec: %2$s
        version: v2.4.0
        registry:
          name: lightclick
          token: file:%3$s
        images:
          - component: backend
            repository: lightclick-backend
            context: /opt/lightclick/backend
            target: production
          - component: frontend
            repository: lightclick-frontend
            context: /opt/lightclick/frontend
            target: production
          - component: worker
            repository: lightclick-worker
            context: /opt/lightclick/backend
            dockerfile: Dockerfile.worker
        droplet:
          id: %4$d
          ssh:
            host: %5$s
            user: root
            privateKey: file:%6$s
            knownHosts: %7$s
          logs:
            units: [docker, nginx]
            destination: %8$s
        postgres:
          cluster: %9$s
          connection:
            host: %10$s
            port: 5432
            database: lightclick
            user: lightclick
            password: file:%11$s
            sslMode: require
          backup:
            source: pg-dump
            dumpDir: /opt/backups/lightclick
        valkey:
          store:
            url: rediss://%10$s:6380/1
            password: file:%12$s
          rounds: 20
          maxP95: 500ms
        staging:
          app: lightclick-staging
          env:
            DATABASE_URL: file:%13$s
            JWT_SECRET: file:%14$s
          smoke:
            - path: /api/health
              maxLatency: 5s
        production:
          app: lightclick
          env:
            DATABASE_URL: file:%13$s
            JWT_SECRET: file:%14$s
          smoke:
            - path: /api/health
              maxLatency: 5s
        deployTimeout: 5m
        dns:
          domain: lightclick.lab.example
          records:
            - name: www
            - name: app
        monitor:
          window: 20s
          interval: 5s
          failureBudget: 1
          probes:
            - path: /api/health
              maxLatency: 5s
              samples: 1
        """
        .formatted(
            name,
            spec,
            registryToken,
            dropletId,
            droplet.address(),
            clientKey,
            knownHosts,
            lab.dir.resolve("worker-backups/lightclick-logs"),
            cluster,
            db.address(),
            pgPassword,
            valkeyPassword,
            databaseUrl,
            jwtSecret);
  }

  @Override
  public List<String> workerOptions() {
    return List.of("--redis-ca-file", redisCa.toString());
  }

  @Override
  public Map<String, Path> postgres() {
    return Map.of(db.name(), dbSocket);
  }

  @Override
  public Map<String, Path> redis() {
    return Map.of();
  }

  @Override
  public Stop stop() {
    return null;
  }

  @Override
  public Rollback rollback() {
    return Rollback.answering503While("smoke-production", "503", failProduction);
  }

  @Override
  public List<String> kept() {
    // pg-dump backups are kept on purpose, whatever happens after
    return List.of("apdrop:/opt/backups");
  }

  @Override
  public String crashStep() {
    return "wait-production-active";
  }

  @Override
  public Map<String, String> touched() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("validate-app-spec", "stand-in: App Platform API (spec read on the worker)");
    t.put("check-registry", "stand-in: DOCR API");
    t.put("check-postgres", "real: PostgreSQL 15 over TLS (JDBC)");
    t.put("check-valkey", "real: Redis 7 over TLS (Jedis, the lab CA)");
    t.put("push-images", "real: OpenSSH, sh, files; stand-in: docker build/push, DOCR");
    t.put("find-staging-app", "stand-in: App Platform API");
    t.put("deploy-staging", "stand-in: App Platform API");
    t.put("wait-staging-active", "stand-in: App Platform API");
    t.put("migrate-staging", "(nothing: no migrations in the lab plan)");
    t.put("smoke-staging", "real: nginx over TLS as the app's ingress (JDK HTTP client)");
    t.put("verify-backup", "real: pg_dump on the droplet over SSH, PostgreSQL over TLS");
    t.put("find-production-app", "stand-in: App Platform API");
    t.put("deploy-production", "stand-in: App Platform API");
    t.put("wait-production-active", "stand-in: App Platform API");
    t.put("migrate-production", "(nothing: no migrations in the lab plan)");
    t.put("smoke-production", "real: nginx over TLS as the app's ingress");
    t.put("read-dns-records", "stand-in: DigitalOcean DNS API");
    t.put("switch-dns", "stand-in: DigitalOcean DNS API");
    t.put("monitor", "real: nginx over TLS as the domain's host");
    t.put("export-droplet-logs", "real: OpenSSH, journalctl, gzip");
    t.put("final-snapshot", "stand-in: DigitalOcean API");
    t.put("destroy-droplet", "stand-in: DigitalOcean API");
    return t;
  }

  @Override
  public List<Path> secrets() {
    return List.of(clientKey, pgPassword, valkeyPassword, registryToken, databaseUrl, jwtSecret);
  }
}
