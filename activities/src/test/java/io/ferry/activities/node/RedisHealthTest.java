package io.ferry.activities.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.ssh.SshNodeHost;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.contract.NodeActivities.Service;
import io.ferry.contract.NodeActivities.ServiceChecks;
import io.ferry.contract.NodeActivities.ServicesHealthy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service without an HTTP health path (the standard node's Redis event bus): real {@code
 * redis-server}s started here, PINGed on the node through the in-process SSH server with bash's
 * {@code /dev/tcp}.
 */
class RedisHealthTest {

  private static final Path REDIS = Path.of("/usr/bin/redis-server");

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private NodeActivitiesImpl node;
  private final List<Process> redises = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(REDIS), "no redis-server (apt-get install -y redis-server)");
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    node = new NodeActivitiesImpl(null, new SshNodeHost(ssh), null, null, null);
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : redises) {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (ssh != null) {
      ssh.close();
      server.close();
    }
  }

  private int redis(String... options) throws Exception {
    int port = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                REDIS.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(List.of(options));
    redises.add(new ProcessBuilder(command).redirectErrorStream(true).start());
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return port;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }

  private ServicesHealthy check(int port) {
    return node.checkServices(
        new ServiceChecks(
            "the event bus",
            server.target(),
            List.of(new Service("event-bus", "redis://10.0.0.1:" + port))));
  }

  @Test
  void aRedis_answersPingWithPong_andIsHealthy() throws Exception {
    int port = redis();

    assertThat(check(port).services()).containsExactly("event-bus");
    assertThat(new SshNodeHost(ssh).tcpExchange(server.target(), port, "PING")).isEqualTo("+PONG");
  }

  @Test
  void aRedisWithAPassword_isHealthy_forItAnswersAsRedis() throws Exception {
    int port = redis("--requirepass", "event-bus-secret");

    assertThat(new SshNodeHost(ssh).tcpExchange(server.target(), port, "PING"))
        .startsWith("-NOAUTH");
    assertThat(check(port).services()).containsExactly("event-bus");
  }

  @Test
  void nothingListening_failsNamingTheServiceAndThePort() throws Exception {
    int port = freePort();

    assertThatThrownBy(() -> check(port))
        .hasMessageContaining("event-bus at redis://10.0.0.1:" + port)
        .hasMessageContaining("nothing listens on port " + port);
  }

  @Test
  void somethingElseOnThePort_isNotTakenForRedis() throws Exception {
    try (ServerSocket http = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread answer =
          new Thread(
              () -> {
                try (Socket s = http.accept();
                    OutputStream out = s.getOutputStream()) {
                  s.getInputStream().read(new byte[16]);
                  out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                  // the check reports what it saw
                }
              });
      answer.start();

      assertThatThrownBy(() -> check(http.getLocalPort()))
          .hasMessageContaining("answered PING with 'HTTP/1.1 400 Bad Request', not Redis's +PONG");
      answer.join();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
