package io.ferry.activities.transition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.Polling;
import io.ferry.activities.http.JdkHttp;
import io.ferry.activities.ssh.Shell;
import io.ferry.activities.ssh.SshFileTrees;
import io.ferry.activities.ssh.SshHostFiles;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.SshSystemd;
import io.ferry.activities.ssh.TestSshServer;
import io.ferry.activities.transition.TransitionActivitiesImpl.HostPaths;
import io.ferry.contract.TransitionActivities.NodeExporterRequest;
import io.ferry.contract.TransitionActivities.ServiceState;
import io.ferry.contract.TransitionActivities.ServiceUnit;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the API's systemd service and installing node exporter over the in-process SSH server: a
 * fake {@code systemctl} that checks its arguments keeps the enabled units in files, a local HTTP
 * server answers {@code /health} and {@code /metrics}, and the tarball is a real one.
 */
class ServicesOverSshTest {

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private HttpServer http;
  private Path calls;
  private Path units;
  private TransitionActivitiesImpl activities;
  private volatile int healthStatus = 200;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir.resolve("server"));
    ssh = new SshSessions(server.secrets());
    calls = dir.resolve("systemctl.calls");
    units = Files.createDirectories(dir.resolve("host/etc/systemd/system"));
    Path state = Files.createDirectories(dir.resolve("state"));
    String s = Shell.quote(state.toString());
    String u = Shell.quote(units.toString());
    server.fakeCommand(
        "systemctl",
        "printf '%s\\n' \"$*\" >> "
            + Shell.quote(calls.toString())
            + "\ncase \"$1\" in\n"
            + "  daemon-reload) [ $# -eq 1 ] || exit 2; exit 0 ;;\n"
            + "  enable) [ \"$2\" = --now ] && [ $# -eq 3 ] || exit 2\n"
            + "    [ -f "
            + u
            + "/\"$3\".service ] || { echo \"Unit $3.service not found.\" >&2; exit 5; }\n"
            + "    grep -q '^Restart=always$' "
            + u
            + "/\"$3\".service || exit 6\n"
            + "    touch "
            + s
            + "/\"$3\"; exit 0 ;;\n"
            + "  is-active) if [ -e "
            + s
            + "/\"$2\" ]; then echo active; else echo inactive; exit 3; fi ;;\n"
            + "  cat) [ -f "
            + u
            + "/\"$3\".service ] || exit 1; exit 0 ;;\n"
            + "  disable) [ \"$2\" = --now ] && [ \"$3\" = -- ] || exit 2; rm -f "
            + s
            + "/\"$4\"; exit 0 ;;\n"
            + "esac\nexit 2\n");
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          boolean metrics = exchange.getRequestURI().getPath().equals("/metrics");
          byte[] body =
              (metrics ? "node_load1 0.12\n" : "{\"status\":\"ok\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(metrics ? 200 : healthStatus, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    activities =
        new TransitionActivitiesImpl(
                null,
                new SshHostFiles(ssh),
                new SshFileTrees(ssh),
                new SshSystemd(ssh),
                null,
                null,
                null,
                new JdkHttp(),
                null,
                null,
                null,
                null,
                server.secrets(),
                Polling.SIMULATED)
            .on(
                new HostPaths(
                    units + "/",
                    dir.resolve("host/usr/local/bin/node_exporter").toString(),
                    dir.resolve("host/var/tmp/ferry").toString() + "/"));
  }

  @AfterEach
  void stop() throws Exception {
    http.stop(0);
    ssh.close();
    server.close();
  }

  @Test
  void apiService_isInstalledEnabledStarted_andHealthy_thenRemovedCompletely() throws Exception {
    ServiceUnit unit = apiUnit();

    ServiceState started = activities.startService(unit);

    assertThat(started.state()).isEqualTo("active");
    assertThat(started.detail()).isEqualTo(unit.healthUrl() + " answered 200");
    assertThat(units.resolve("cherry-ai-api.service")).hasContent(unit.content());
    activities.removeService(unit);
    activities.removeService(unit);
    assertThat(units.resolve("cherry-ai-api.service")).doesNotExist();
    assertThat(Files.readAllLines(calls))
        .containsExactly(
            "daemon-reload",
            "enable --now cherry-ai-api",
            "is-active cherry-ai-api",
            "cat -- cherry-ai-api",
            "disable --now -- cherry-ai-api",
            "daemon-reload",
            "cat -- cherry-ai-api"); // the second removal finds nothing to undo
  }

  @Test
  void serviceThatNeverAnswersHealthy_failsNamingItsState() {
    healthStatus = 503;
    ServiceUnit unit = apiUnit();

    assertThatThrownBy(() -> activities.startService(unit))
        .hasMessageContaining("cherry-ai-api is active, health answered 503");
  }

  @Test
  void nodeExporter_isUploadedUnpackedAndStarted_andAnsweringMetrics() throws Exception {
    Path release = Files.createDirectories(dir.resolve("release/node_exporter-1.8.2.linux-amd64"));
    Files.writeString(release.resolve("node_exporter"), "#!/bin/sh\necho exporter\n");
    Files.createDirectories(dir.resolve("host/usr/local/bin"));
    Path tarball = dir.resolve("worker/node_exporter-1.8.2.linux-amd64.tar.gz");
    Files.createDirectories(tarball.getParent());
    Process tar =
        new ProcessBuilder(
                "tar",
                "-czf",
                tarball.toString(),
                "-C",
                dir.resolve("release").toString(),
                "node_exporter-1.8.2.linux-amd64")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    NodeExporterRequest request =
        new NodeExporterRequest(server.target(), tarball.toString(), http.getAddress().getPort());

    ServiceState started = activities.installNodeExporter(request);

    Path binary = dir.resolve("host/usr/local/bin/node_exporter");
    assertThat(binary).hasContent("#!/bin/sh\necho exporter\n").isExecutable();
    assertThat(started.detail())
        .startsWith("node_exporter-1.8.2.linux-amd64, ")
        .endsWith("/metrics answered 200");
    assertThat(units.resolve("node_exporter.service"))
        .content()
        .contains("ExecStart=" + binary + " --web.listen-address=:" + request.port())
        .contains("Restart=always");

    activities.removeNodeExporter(request);

    assertThat(binary).doesNotExist();
    assertThat(units.resolve("node_exporter.service")).doesNotExist();
    assertThat(dir.resolve("host/var/tmp/ferry/node_exporter-1.8.2.linux-amd64.tar.gz"))
        .doesNotExist();
  }

  private ServiceUnit apiUnit() {
    return new ServiceUnit(
        server.target(),
        "cherry-ai-api",
        "[Unit]\nDescription=Cherry AI API\n\n[Service]\nEnvironmentFile=/opt/cherry-ai/.env\n"
            + "ExecStart=/opt/cherry-ai/venv/bin/uvicorn app:app\nRestart=always\n",
        "http://127.0.0.1:" + http.getAddress().getPort() + "/health",
        Duration.ofMillis(300));
  }
}
