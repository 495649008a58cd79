package io.ferry.lab;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * weaviate-first in the lab: the app node (sshd, PostgreSQL 15), the store host (Redis), the vector
 * droplet (a lab host the DigitalOcean stand-in hands out; sshd with the host key the plan
 * installs, docker as a script, the Weaviate stand-in on :8080). It stops at ensure-database:
 * pgvector is not in Debian's PostgreSQL 15 here.
 */
final class WeaviateFirstLab implements LabScenario {

  private LabHost app;
  private LabHost store;
  private Path clientKey;
  private Path knownHosts;
  private Path vectorHostKey;
  private Path pgPassword;
  private Path redisPassword;
  private Path weaviateKey;
  private Path appSocket;
  private Lab lab;

  @Override
  public String roadmap() {
    return "weaviate-first";
  }

  @Override
  public void build(Lab lab, Services services, DigitalOceanStandIn cloud) {
    this.lab = lab;
    app = lab.host("wfapp", 21);
    store = lab.host("wfstore", 22);
    LabHost vector = lab.host("wfvec", 23);
    clientKey = services.clientKey();
    knownHosts = services.knownHosts();
    pgPassword = services.secret("wf_pg_password");
    redisPassword = services.secret("wf_redis_password");
    weaviateKey = services.secret("wf_weaviate_key");
    Path superPassword = services.secret("wf_pg_super");
    services.sshd(app, null);
    Tools.install(app);
    // the host key the plan installs on the droplet it creates: the droplet's sshd has it
    vectorHostKey = services.sshd(vector, null);
    Tools.install(vector);
    appSocket = services.postgres(app, superPassword);
    Services.psql(
        appSocket,
        "CREATE ROLE orchestrator LOGIN CREATEDB PASSWORD '" + Services.read(pgPassword) + "'");
    services.redis(store, redisPassword);
    lab.start(
        "Weaviate stand-in on " + vector.name(),
        Cmd.in(
            vector.namespace(),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            WeaviateStandInServer.class.getName(),
            vector.address(),
            "8080",
            weaviateKey.toString()),
        vector.dir().resolve("weaviate.log"));
    Services.awaitPort(vector.address(), 8080, 120); // a JVM starting on a loaded machine
    cloud.dropletAt("lab-vector", vector.address());
    cloud.api.seedDomain("orchestra.lab.example", "api", "A", "10.87.14.99", 900);
    cloud.api.seedDomain("orchestra.lab.example", "admin", "A", "10.87.14.99", 900);
  }

  @Override
  public String plan(String name) {
    return """
        roadmap: weaviate-first
        name: %1$s
        region: sfo2
        vectorNode:
          name: lab-vector
          sshKeys: ["3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa"]
          allowFrom: [10.87.14.0/24]
          ssh:
            user: root
            privateKey: file:%2$s
            hostKey: file:%3$s
        appNode:
          host: %4$s
          user: root
          privateKey: file:%2$s
          knownHosts: %5$s
        app:
          configFile: /opt/orchestra/.env
          service: orchestra-api
        weaviate:
          apiKey: file:%6$s
        postgres:
          host: %4$s
          database: orchestrator
          user: orchestrator
          password: file:%7$s
          sslMode: disable
        memoryStore:
          source:
            url: redis://%8$s:6379/0
            password: file:%9$s
          backupDir: %10$s
          structured:
            - pattern: "billing:*"
              table: billing_logs
              columns: [account, amount, currency, created_at]
        probes:
          nlQueryUrl: http://%4$s/api/query?q=billing
          chatUrl: http://%4$s/health/chat
        dns:
          domain: orchestra.lab.example
          target: 10.87.14.23
          records:
            - name: api
              type: A
            - name: admin
        """
        .formatted(
            name,
            clientKey,
            vectorHostKey,
            app.address(),
            knownHosts,
            weaviateKey,
            pgPassword,
            store.address(),
            redisPassword,
            lab.dir.resolve("worker-backups/memory"));
  }

  @Override
  public Map<String, Path> postgres() {
    return Map.of(app.name(), appSocket);
  }

  @Override
  public Map<String, Path> redis() {
    return Map.of(store.address(), redisPassword);
  }

  @Override
  public Stop stop() {
    return new Stop(
        "ensure-database",
        "pgvector is not packaged for Debian's PostgreSQL 15 on this machine, so CREATE EXTENSION"
            + " vector cannot succeed; every step after it needs the database",
        "extension vector is not available");
  }

  @Override
  public String crashStep() {
    return "wait-droplet-active";
  }

  @Override
  public Map<String, String> touched() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("create-vector-droplet", "stand-in: DigitalOcean API (the droplet is lab host wfvec)");
    t.put("create-volume", "stand-in: DigitalOcean API");
    t.put("create-firewall", "stand-in: DigitalOcean API");
    t.put("wait-droplet-active", "stand-in: DigitalOcean API");
    t.put("launch-weaviate", "real: OpenSSH (pinned host key), sh, files; stand-in: docker");
    t.put("wait-weaviate-ready", "stand-in: Weaviate");
    t.put("ensure-database", "real: PostgreSQL 15 over JDBC");
    return t;
  }

  @Override
  public List<Path> secrets() {
    return List.of(clientKey, vectorHostKey, pgPassword, redisPassword, weaviateKey);
  }
}
