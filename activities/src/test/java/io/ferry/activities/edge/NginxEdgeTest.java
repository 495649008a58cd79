package io.ferry.activities.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.Polling;
import io.ferry.activities.http.JdkHttp;
import io.ferry.activities.probe.PublicRequests;
import io.ferry.activities.ssh.Shell;
import io.ferry.activities.ssh.SshHostFiles;
import io.ferry.activities.ssh.SshNginx;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.contract.EdgeActivities.EdgeRestore;
import io.ferry.contract.EdgeActivities.EdgeRouted;
import io.ferry.contract.EdgeActivities.EdgeRoutes;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.contract.EdgeActivities.ReloadWatch;
import io.ferry.contract.EdgeActivities.TestUsers;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx edge against a real nginx ({@code /usr/sbin/nginx}, Debian's nginx-light) started by
 * the test on an ephemeral port with its whole configuration in a temporary directory, reached
 * through the in-process SSH server; two local HTTP servers stand for the old and the new backend.
 */
class NginxEdgeTest {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final String KEY = "standard-node-aurora/route-test-users";

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private HttpServer oldBackend;
  private HttpServer newBackend;
  private Path conf;
  private int port;
  private EdgeHost edge;
  private EdgeActivitiesImpl activities;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(NGINX), "no " + NGINX + " here (apt-get install -y nginx-light)");
    oldBackend = backend("old");
    newBackend = backend("new");
    port = freePort();
    Path sites = Files.createDirectories(dir.resolve("sites"));
    conf = dir.resolve("nginx.conf");
    Files.writeString(
        conf,
        // user root: when the test runs as root the workers must read this private directory;
        // otherwise nginx ignores the directive with a warning
        "user root;\nworker_processes 1;\npid "
            + dir.resolve("nginx.pid")
            + ";\nerror_log "
            + dir.resolve("error.log")
            + ";\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n"
            + temp("client_body")
            + temp("proxy")
            + temp("fastcgi")
            + temp("uwsgi")
            + temp("scgi")
            + "    include "
            + sites
            + "/*;\n}\n");
    run(NGINX.toString(), "-c", conf.toString());
    server = new TestSshServer(dir);
    server.fakeCommand("nginx", "exec " + Shell.quote(NGINX.toString()) + " \"$@\"\n");
    ssh = new SshSessions(server.secrets());
    edge = new EdgeHost(server.target(), sites.resolve("aurora.conf").toString(), conf.toString());
    activities =
        new EdgeActivitiesImpl(
            new SshNginx(ssh),
            new SshHostFiles(ssh),
            new PublicRequests(new JdkHttp(), Polling.REAL));
  }

  @AfterEach
  void stop() throws Exception {
    if (conf != null && Files.exists(dir.resolve("nginx.pid"))) {
      run(NGINX.toString(), "-c", conf.toString(), "-s", "stop");
    }
    if (ssh != null) {
      ssh.close();
      server.close();
    }
    if (oldBackend != null) {
      oldBackend.stop(0);
      newBackend.stop(0);
    }
  }

  private String temp(String what) throws IOException {
    return "    " + what + "_temp_path " + Files.createDirectories(dir.resolve(what)) + ";\n";
  }

  private EdgeSite site() {
    return new EdgeSite(
        "aurora",
        port,
        List.of("localhost"),
        null,
        "/api",
        "127.0.0.1:" + oldBackend.getAddress().getPort(),
        "127.0.0.1:" + newBackend.getAddress().getPort(),
        new TestUsers("X-Ferry-Canary", "ferry_canary", "yes"));
  }

  @Test
  void testUsersFirst_thenWeights_thenRestore_areServedByTheRealNginx() throws Exception {
    activities.routeTraffic(new EdgeRoutes(edge, site(), true, 0, KEY));

    assertThat(eventually(() -> get("/api/who", null), "old")).isEqualTo("old");
    assertThat(get("/api/who", "X-Ferry-Canary: yes")).isEqualTo("new");
    assertThat(get("/api/who", "Cookie: ferry_canary=yes")).isEqualTo("new");
    assertThat(get("/api/who", "X-Ferry-Canary: no")).isEqualTo("old");

    activities.routeTraffic(new EdgeRoutes(edge, site(), true, 50, KEY));
    Set<String> seen = new HashSet<>();
    eventually(() -> get("/api/who", null), "new");
    for (int i = 0; i < 10; i++) {
      seen.add(get("/api/who", null));
    }
    assertThat(seen).containsExactlyInAnyOrder("old", "new");

    activities.routeTraffic(new EdgeRoutes(edge, site(), true, 100, KEY));
    eventually(
        () -> {
          String a = get("/api/who", null);
          String b = get("/api/who", null);
          return a.equals(b) ? a : "mixed";
        },
        "new");

    activities.restoreEdge(new EdgeRestore(edge, KEY));
    activities.restoreEdge(new EdgeRestore(edge, KEY));
    assertThat(Path.of(edge.sitePath())).doesNotExist();
    assertThat(eventually(() -> get("/api/who", null), "refused")).isEqualTo("refused");
    try (var listing = Files.list(Path.of(edge.sitePath()).getParent())) {
      assertThat(listing).as("no kept copy or temporary file left").isEmpty();
    }
  }

  @Test
  void reloadsToEachShare_areWatchedThroughTheRealNginx_andNoPublicRequestFails() throws Exception {
    activities.routeTraffic(new EdgeRoutes(edge, site(), false, 0, KEY));
    eventually(() -> get("/api/who", null), "old");
    ReloadWatch watch =
        new ReloadWatch(List.of("http://127.0.0.1:" + port + "/api/who"), 0, Duration.ofSeconds(1));

    for (int share : List.of(50, 100)) {
      EdgeRouted routed =
          activities.routeTraffic(new EdgeRoutes(edge, site(), false, share, KEY, watch));

      // before, during and a second after the reload: several passes, 250 ms apart
      assertThat(routed.watchedRequests()).isGreaterThanOrEqualTo(4);
      assertThat(routed.watchedFailed()).isZero();
      assertThat(routed.summary()).contains("0 of " + routed.watchedRequests() + " public");
    }
  }

  @Test
  void publicRequestsFailingThroughAReload_spendTheBudget_andFailTheStep() throws Exception {
    HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    broken.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(502, -1);
          exchange.close();
        });
    broken.start();
    try {
      EdgeSite toBroken =
          new EdgeSite(
              "aurora",
              port,
              List.of("localhost"),
              null,
              "/api",
              "127.0.0.1:" + oldBackend.getAddress().getPort(),
              "127.0.0.1:" + broken.getAddress().getPort(),
              null);
      activities.routeTraffic(new EdgeRoutes(edge, toBroken, false, 0, KEY));
      eventually(() -> get("/api/who", null), "old");
      ReloadWatch watch =
          new ReloadWatch(
              List.of("http://127.0.0.1:" + port + "/api/who"), 2, Duration.ofSeconds(1));

      assertThatThrownBy(
              () -> activities.routeTraffic(new EdgeRoutes(edge, toBroken, false, 100, KEY, watch)))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
                assertThat(f.getOriginalMessage())
                    .contains("zero-downtime budget spent while the edge reloaded to 100 %")
                    .contains("answered 502")
                    .contains("2 allowed");
              });
    } finally {
      broken.stop(0);
    }
  }

  @Test
  void brokenSite_isRefusedWithNginxsMessage_andTheOldConfigKeepsServing() throws Exception {
    activities.routeTraffic(new EdgeRoutes(edge, site(), false, 0, KEY));
    eventually(() -> get("/api/who", null), "old");
    String good = Files.readString(Path.of(edge.sitePath()));

    SshNginx nginx = new SshNginx(ssh);
    assertThatThrownBy(
            () -> nginx.installSite(edge, "server {\n    listen " + port + ";\n    proxy_pass;\n"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.PRECONDITION);
              assertThat(f.getOriginalMessage())
                  .contains("[emerg]")
                  .contains("\"proxy_pass\" directive is not allowed here")
                  .contains("test failed");
            });

    assertThat(Files.readString(Path.of(edge.sitePath()))).isEqualTo(good);
    assertThat(get("/api/who", null)).isEqualTo("old");
    try (var listing = Files.list(Path.of(edge.sitePath()).getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "aurora.conf", ".aurora.conf.ferry-" + KEY.replace('/', '_') + ".absent");
    }
  }

  @Test
  void aPlanValueThatWouldBreakOutOfTheConfig_isRefusedBeforeAnythingChanges() {
    EdgeSite hostile =
        new EdgeSite(
            "aurora",
            port,
            List.of("x; include /etc/shadow"),
            null,
            "/api",
            "127.0.0.1:1",
            "127.0.0.1:2",
            null);

    assertThatThrownBy(() -> activities.routeTraffic(new EdgeRoutes(edge, hostile, false, 0, KEY)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
              assertThat(f.getOriginalMessage()).contains("site.serverNames");
            });
    assertThat(server.commandsRun()).isZero();
  }

  /**
   * Asks until the answer is {@code expected} (a reload takes effect a moment after it returns).
   */
  private static String eventually(Answer answer, String expected) throws Exception {
    String last = null;
    for (int i = 0; i < 100; i++) {
      last = answer.get();
      if (last.equals(expected)) {
        return last;
      }
      Thread.sleep(100);
    }
    return last;
  }

  interface Answer {
    String get() throws Exception;
  }

  private String get(String path, String header) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (header != null) {
      String[] h = header.split(": ", 2);
      request.header(h[0], h[1]);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (ConnectException e) {
      return "refused";
    }
  }

  private static HttpServer backend(String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(
              exchange.getRequestURI().getPath().startsWith("/api/") ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }
}
