package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.StepScopeInterceptor;
import io.ferry.activities.cloud.CloudActivitiesImpl;
import io.ferry.activities.files.LocalWorkerFiles;
import io.ferry.activities.host.HostActivitiesImpl;
import io.ferry.activities.platform.AppPlatformActivitiesImpl;
import io.ferry.activities.platform.ManagedDatabaseActivitiesImpl;
import io.ferry.activities.platform.RegistryActivitiesImpl;
import io.ferry.activities.postgres.PgDumpOverSsh;
import io.ferry.activities.probe.ProbeActivitiesImpl;
import io.ferry.activities.redis.RedisMemoryStore;
import io.ferry.activities.redis.RedisTestServer;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.activities.ssh.SshCompose;
import io.ferry.activities.ssh.SshContainers;
import io.ferry.activities.ssh.SshHostFiles;
import io.ferry.activities.ssh.SshHostLogs;
import io.ferry.activities.ssh.SshServices;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.plan.PlanLoader;
import io.ferry.plan.SecretRef;
import io.ferry.roadmap.appplatform.AppPlatformPlan;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.testing.CallLog;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The app-platform roadmap's example plan run to the end on real adapters talking to local
 * stand-ins, every secret reference resolving to a distinctive value; then the workflow's whole
 * history, payloads decoded, is searched for every value and its base64 form: zero hits. A second
 * run is rolled back by the operator at the DNS cutover gate (after the production deploy), so the
 * compensations go over the real adapters too.
 *
 * <p>Real adapters, as the worker's {@code RealFleet} wires them: {@link DigitalOceanApps}, {@link
 * DigitalOceanRegistry}, {@link DigitalOceanDatabases}, {@link DigitalOceanCompute} and {@link
 * DigitalOceanDns} against {@link FakeDigitalOcean} (every request checked against DO's API
 * reference; bearer token = the canary); the SSH host adapters over {@link SshSessions} against
 * {@link TestSshServer} (MINA SSHD, host key pinned by fingerprint, client key from a {@code file:}
 * ref), whose fake {@code docker} (login reads the registry token on stdin; push tells the fake
 * DO's registry about the tag) and {@code journalctl} run for real; {@link RedisMemoryStore}
 * against {@link RedisTestServer} over TLS with the canary password; {@link LocalWorkerFiles}
 * reading a real spec file.
 *
 * <p>Simulated, because no stand-in can serve them here: the managed PostgreSQL check's {@code
 * PostgresPort} (the plan demands TLS, which the embedded PostgreSQL server lacks) and the smoke
 * and monitor probes' {@code HttpPort} (they hit the apps' {@code *.ondigitalocean.app} URLs). The
 * managed database check's clock is fixed at the fake's backup dates.
 */
class RealAdapterSecretsTest {

  private static final Instant NOW = Instant.parse("2026-11-12T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /**
   * @param rollBack whether the operator rolls back once production is deployed (at the DNS cutover
   *     gate), so the compensations run over the real adapters too
   */
  @ParameterizedTest(name = "rolled back after the production deploy: {0}")
  @ValueSource(booleans = {false, true})
  void appPlatform_onRealAdapters_secretValuesNeverEnterHistory(boolean rollBack) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DIGITALOCEAN_TOKEN", "leak-canary-do-token-7f3a91c2");
    env.put("DOCR_TOKEN", "leak-canary-docr-token-b41e0d77");
    env.put("PG_PASSWORD", "leak-canary-pg-password-3d8f5a10");
    env.put("VALKEY_PASSWORD", "leak-canary-valkey-password-e2c7b9");
    env.put("STAGING_DATABASE_URL", "postgresql://app:leak-canary-staging-db-91af@db:25060/app");
    env.put("STAGING_REDIS_URL", "rediss://default:leak-canary-staging-redis-5c2e@kv:25061");
    env.put("STAGING_JWT_SECRET", "leak-canary-staging-jwt-0a6d4f");
    env.put("PROD_DATABASE_URL", "postgresql://app:leak-canary-prod-db-77b3@db:25060/app");
    env.put("PROD_REDIS_URL", "rediss://default:leak-canary-prod-redis-e81f@kv:25061");
    env.put("PROD_JWT_SECRET", "leak-canary-prod-jwt-c93e12");
    env.put("GEMINI_API_KEY", "leak-canary-gemini-key-4b7a0e");
    Set<String> resolved = ConcurrentHashMap.newKeySet();
    SecretResolver secrets =
        SecretResolver.withEnvironment(
            name -> {
              resolved.add(name);
              return env.get(name);
            });

    // the fake docker reports a push to the registry stand-in with curl
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, "curl"))),
        "curl is not on the PATH: the fake docker needs it to report pushes");
    // the stand-ins
    FakeDigitalOcean fake = new FakeDigitalOcean(env.get("DIGITALOCEAN_TOKEN"));
    open.add(fake);
    TestSshServer sshServer = new TestSshServer(dir.resolve("ssh"));
    open.add(sshServer);
    RedisTestServer redis =
        RedisTestServer.start(
            RedisTestServer.Options.plain().withPassword(env.get("VALKEY_PASSWORD")).withTls());
    open.add(redis);
    HttpServer registryPushes = registryPushes(fake);
    open.add(() -> registryPushes.stop(0));

    String sshKey = sshServer.secrets().resolve(SecretRef.of("env:CLIENT_KEY"));
    Path keyFile = Files.writeString(dir.resolve("ferry_ssh_key"), sshKey);
    String paypal = "leak-canary-paypal-secret-5b0d2e";
    Path paypalFile = Files.writeString(dir.resolve("paypal_client_secret"), paypal);
    fakeTools(sshServer, registryPushes.getAddress().getPort());
    Path backend = Files.createDirectories(dir.resolve("droplet/backend"));
    Files.writeString(backend.resolve("Dockerfile"), "FROM python:3.12-slim\n");
    Files.writeString(backend.resolve("Dockerfile.worker"), "FROM python:3.12-slim\n");
    Path frontend = Files.createDirectories(dir.resolve("droplet/frontend"));
    Files.writeString(frontend.resolve("Dockerfile"), "FROM node:22-alpine\n");

    fake.seedRegistry(
        "lightclick",
        Map.of(
            "lightclick-backend", List.of("v2.3.1"),
            "lightclick-frontend", List.of("v2.3.1"),
            "lightclick-worker", List.of("v2.3.1")));
    String cluster = fake.seedDatabase("lightclick-db", "pg", 3);
    long droplet = fake.seedDroplet("lightclick", "fra1", List.of());
    fake.seedDomain("lightclick.example.com", "www", "CNAME", "lb.lightclick.example.com.", 300);
    fake.seedDomain("lightclick.example.com", "app", "CNAME", "lb.lightclick.example.com.", 300);

    String planText = exampleText();
    planText =
        replace(planText, "/opt/ferry/lightclick/.do/app.yaml", specFile().toString())
            .replace("context: /opt/lightclick/backend", "context: " + backend)
            .replace("context: /opt/lightclick/frontend", "context: " + frontend)
            .replace("id: 412345678", "id: " + droplet)
            .replace("host: 203.0.113.20", "host: 127.0.0.1")
            .replace("port: 22 ", "port: " + sshServer.port() + " ")
            .replace("user: deploy", "user: " + System.getProperty("user.name"))
            .replace("file:/run/secrets/ferry_ssh_key", "file:" + keyFile)
            .replace("SHA256:4X6cmW+Il9h7Rn2f8OaP1cXOD3s8R6fWgZ5pQkY2u7E", sshServer.fingerprint())
            .replace("sudo: true", "sudo: false")
            .replace("/var/backups/ferry/lightclick", dir.resolve("logs").toString())
            .replace("9cc10173-e9ea-4176-9dbc-a4cee4c4ff30", cluster)
            .replace(
                "rediss://valkey-lightclick-do-user-1.db.ondigitalocean.com:25061/1",
                redis.tlsUrl(1))
            // a real server on a machine shared with builds: latency is not what is checked here
            .replace("maxP95: 5ms", "maxP95: 2s")
            .replace("file:/run/secrets/paypal_client_secret", "file:" + paypalFile);
    AppPlatformPlan plan =
        new PlanLoader().load("app-platform.example.yaml", planText, AppPlatformPlan.class);

    // the fleet: RealFleet's wiring, each adapter pointed at its stand-in
    SecretRef tokenRef = SecretRef.of("env:DIGITALOCEAN_TOKEN");
    DigitalOceanApi api =
        new DigitalOceanApi(
            fake.baseUrl(),
            () -> secrets.resolve(tokenRef),
            HttpClient.newHttpClient(),
            Duration.ofSeconds(3));
    DoLibrary library =
        new DoLibrary(
            secrets.resolve(tokenRef),
            org.apache.http.impl.client.HttpClients.custom()
                .setRoutePlanner(
                    (target, request, context) ->
                        new org.apache.http.conn.routing.HttpRoute(
                            new org.apache.http.HttpHost("127.0.0.1", fake.port(), "http"))),
            Duration.ofSeconds(3));
    SshSessions ssh = new SshSessions(secrets);
    open.add(ssh::close);
    SshContainers containers = new SshContainers(ssh);
    RedisMemoryStore memory = new RedisMemoryStore(secrets, redis.caFile());
    SimulatedFleet simulated = new SimulatedFleet(FaultPlan.none(), secrets);
    simulated.seed(plan);
    Polling polling = DoFixture.FAST;
    List<Object> activities =
        List.of(
            new CloudActivitiesImpl(
                new DigitalOceanCompute(library, api, polling, Heartbeat.activity()),
                new DigitalOceanDns(library),
                secrets,
                polling),
            new HostActivitiesImpl(
                new SshHostFiles(ssh),
                new SshServices(ssh),
                new SshCompose(ssh),
                new SshHostLogs(ssh),
                secrets),
            // app-platform probes only HTTP: no Weaviate, benchmark or embedder is wired
            new ProbeActivitiesImpl(null, simulated.httpPort(), null, null, Polling.SIMULATED),
            new AppPlatformActivitiesImpl(
                new DigitalOceanApps(api), containers, new LocalWorkerFiles(), secrets, polling),
            new RegistryActivitiesImpl(new DigitalOceanRegistry(api), containers, secrets),
            new ManagedDatabaseActivitiesImpl(
                simulated.postgresPort(),
                memory,
                new DigitalOceanDatabases(api),
                new PgDumpOverSsh(ssh),
                secrets,
                Clock.fixed(NOW, ZoneOffset.UTC)));

    String history;
    RunbookStatus end;
    try (Harness run =
        new Harness(new CallLog(), activities, List.of(new StepScopeInterceptor()))
            .operatorNamed("secrets check")
            .patience(Duration.ofSeconds(240))) {
      WorkflowStub stub = run.start(plan);
      if (rollBack) {
        RunbookStatus atCutover =
            run.drive(
                stub,
                s -> s.pendingGates().stream().anyMatch(g -> g.id().equals("approve-dns-cutover")));
        assertThat(atCutover.pendingGates()).as("%s", atCutover).isNotEmpty();
        run.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("secrets check"));
      }
      end = run.drive(stub, s -> false);
      history = run.historyJson(stub);
    }

    assertThat(fake.violations()).as("requests outside DO's API reference").isEmpty();
    assertThat(sshServer.commands()).anyMatch(c -> c.contains("--password-stdin"));
    if (rollBack) {
      assertThat(end.state()).as("%s", end).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(fake.dropletCount()).as("the droplet is kept").isOne();
      assertThat(fake.registryTags("lightclick-backend"))
          .as("the pushed tag is deleted again")
          .containsExactly("v2.3.1");
    } else {
      assertThat(end.state()).as("%s", end).isEqualTo(RunbookState.COMPLETED);
      assertThat(fake.dropletCount()).as("the droplet is destroyed at the end").isZero();
      assertThat(fake.registryTags("lightclick-backend")).contains("v2.4.0");
      assertThat(sshServer.commands()).anyMatch(c -> c.contains("journalctl"));
    }
    assertThat(resolved)
        .as("references the fleet resolved (else the search proves nothing)")
        .contains("DIGITALOCEAN_TOKEN", "DOCR_TOKEN", "VALKEY_PASSWORD", "PROD_JWT_SECRET");

    Map<String, String> canaries = new LinkedHashMap<>();
    // every value, resolved or not (PG_PASSWORD goes only to the simulated PostgreSQL port)
    env.forEach((name, value) -> canaries.put("env:" + name, value));
    canaries.put("file:" + paypalFile, paypal);
    canaries.put("file:" + keyFile, sshKey);
    int line = 0;
    for (String keyLine : sshKey.split("\n")) {
      if (keyLine.length() >= 40) {
        canaries.put("ssh key line " + ++line, keyLine.strip());
      }
    }
    String searched = history + "\n" + decodedPayloads(history);
    assertThat(searched)
        .as("the search sees inside payloads (the plan's references are there)")
        .contains("env:DOCR_TOKEN");
    List<String> hits = new ArrayList<>();
    for (Map.Entry<String, String> c : canaries.entrySet()) {
      String value = c.getValue();
      String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      if (searched.contains(value) || searched.contains(base64)) {
        hits.add(c.getKey());
      }
    }
    assertThat(hits).as("secret values found in the history").isEmpty();
    System.out.printf(
        "secrets (real adapters, %s): %d values searched, 0 hits (%d characters of history;"
            + " references resolved: %s)%n",
        end.state(), canaries.size(), searched.length(), new java.util.TreeSet<>(resolved));
  }

  /** The spec file as the team keeps it: built from GitHub, with a PRE_DEPLOY migrate job. */
  private Path specFile() throws Exception {
    return Files.writeString(dir.resolve("app.yaml"), DoFixture.APP_SPEC);
  }

  /**
   * The droplet's docker and journalctl. Login must get a token on stdin (only its length is
   * logged); push tells the registry stand-in, which lists the tag on DO's API from then on.
   */
  private static void fakeTools(TestSshServer server, int pushPort) throws Exception {
    server.fakeCommand(
        "docker",
        """
        case "$1" in
          login)
            token=$(cat)
            [ -n "$token" ] || { echo 'no token on stdin' >&2; exit 1; }
            echo 'Login Succeeded' ;;
          build) echo 'Successfully built 0123456789ab' ;;
          push)
            ref="$2"; repo="${ref%%:*}"; repo="${repo##*/}"; tag="${ref##*:}"
            curl -fsS "http://127.0.0.1:PORT/pushed?repository=$repo&tag=$tag" || exit 1 ;;
          *) echo "unexpected docker $*" >&2; exit 2 ;;
        esac
        """
            .replace("PORT", String.valueOf(pushPort)));
    server.fakeCommand(
        "journalctl", "echo '2026-11-12T10:00:00+0000 droplet dockerd[812]: container started'\n");
  }

  /** Stands in for DOCR's push endpoint: records the tag, answers with docker push's last line. */
  private static HttpServer registryPushes(FakeDigitalOcean fake) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/pushed",
        ex -> {
          Map<String, String> q = new LinkedHashMap<>();
          for (String pair : ex.getRequestURI().getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
          }
          fake.pushTag(q.get("repository"), q.get("tag"));
          byte[] body =
              (q.get("tag")
                      + ": digest: "
                      + FakeDigitalOcean.tagDigest(q.get("tag"))
                      + " size: 1\n")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    return server;
  }

  private static String exampleText() throws Exception {
    try (InputStream in =
        RealAdapterSecretsTest.class.getResourceAsStream("/plans/app-platform.example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String replace(String text, String from, String to) {
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  /** Payload data is base64 in history JSON: decode every {@code data} field so a leak shows. */
  static String decodedPayloads(String historyJson) throws Exception {
    StringBuilder out = new StringBuilder();
    collect(JSON.readTree(historyJson), out);
    return out.toString();
  }

  private static void collect(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("data") && e.getValue().isTextual()) {
                  try {
                    out.append(
                            new String(
                                Base64.getDecoder().decode(e.getValue().asText()),
                                StandardCharsets.UTF_8))
                        .append('\n');
                  } catch (IllegalArgumentException notBase64) {
                    out.append(e.getValue().asText()).append('\n');
                  }
                } else {
                  collect(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }
}
