package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.port.K3sNodesPort.Installed;
import io.ferry.activities.port.K3sNodesPort.InstallerSource;
import io.ferry.activities.port.K3sNodesPort.K3sInstall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshK3sNodes} against a real SSH server: the uploaded installer is a fake that checks the
 * arguments and environment K3s's get.k3s.io script reads, then leaves a fake {@code k3s}, its
 * token, kubeconfig and uninstall script where K3s would (under a temporary root).
 */
class SshK3sNodesTest {

  private static final String TOKEN = "K10abc::server:cl'uster $(touch /tmp/ferry-pwned) token";

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshK3sNodes nodes;
  private Path root;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir);
    ssh = new SshSessions(server.secrets());
    root = Files.createDirectories(dir.resolve("root"));
    nodes =
        new SshK3sNodes(
            ssh,
            new SshK3sNodes.Paths(
                server.bin() + "/k3s",
                root + "/var/lib/rancher/k3s/ferry-owner",
                root + "/node-token",
                root + "/k3s.yaml",
                server.bin().toString(),
                root + "/install.sh"));
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  /**
   * A fake installer: fails unless argv is exactly {@code expected}, the version is pinned and the
   * token arrived in the environment; then installs a fake k3s and its uninstall script.
   */
  private byte[] installer(String expectedArgs) {
    Path bin = server.bin();
    String script =
        "[ \"$*\" = "
            + quote(expectedArgs)
            + " ] || { echo \"unexpected args: $*\" >&2; exit 2; }\n"
            + "[ \"$INSTALL_K3S_VERSION\" = v1.29.4+k3s1 ] || { echo 'version not pinned' >&2; exit 3; }\n"
            + "[ \"$K3S_TOKEN\" = "
            + quote(TOKEN)
            + " ] || { echo 'token missing' >&2; exit 4; }\n"
            + "printf '#!/bin/sh\\necho \"k3s version v1.29.4+k3s1 (abc)\"\\n' > "
            + quote(bin + "/k3s")
            + "\nchmod +x "
            + quote(bin + "/k3s")
            + "\nprintf '%s\\n' \"$K3S_TOKEN\" > "
            + quote(root + "/node-token")
            + "\nprintf 'apiVersion: v1\\nclusters:\\n- cluster:\\n    server: https://127.0.0.1:6443\\n' > "
            + quote(root + "/k3s.yaml")
            + "\nprintf '#!/bin/sh\\nrm -f %s %s \"$0\"\\n' "
            + quote(bin + "/k3s")
            + " "
            + quote(root + "/var/lib/rancher/k3s/ferry-owner")
            + " > "
            + quote(bin + "/k3s-uninstall.sh")
            + "\nchmod +x "
            + quote(bin + "/k3s-uninstall.sh")
            + "\n";
    return script.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void installServer_runsTheUploadedInstallerWithTheSeedsFlags_marksIt_andUninstallRemovesIt() {
    assertThat(nodes.installed(server.target())).isEmpty();

    nodes.install(
        server.target(),
        new K3sInstall(
            "sophia-master",
            "server",
            "v1.29.4+k3s1",
            new InstallerSource(
                installer(
                    "server --disable traefik --write-kubeconfig-mode 644 --node-name sophia-master"
                        + " --cluster-init"),
                null),
            null,
            TOKEN),
        "k3s-prod:install-k3s-server");

    assertThat(nodes.installed(server.target()))
        .contains(new Installed("v1.29.4+k3s1", "k3s-prod:install-k3s-server"));
    assertThat(root.resolve("install.sh")).as("the uploaded installer, once run").doesNotExist();
    assertThat(nodes.readJoinToken(server.target()).strip()).isEqualTo(TOKEN);
    assertThat(nodes.readKubeconfig(server.target())).contains("https://127.0.0.1:6443");
    assertThat(String.join("\n", server.commands())).doesNotContain(TOKEN);
    assertThat(Path.of("/tmp/ferry-pwned")).doesNotExist();

    assertThat(nodes.uninstall(server.target())).isTrue();
    assertThat(nodes.installed(server.target())).isEqualTo(Optional.empty());
    assertThat(nodes.uninstall(server.target())).isFalse();
  }

  @Test
  void joinAgent_passesTheServerUrl_andAFailingInstallerSaysWhyWithoutTheToken() {
    nodes.install(
        server.target(),
        new K3sInstall(
            "gpu-1",
            "agent",
            "v1.29.4+k3s1",
            new InstallerSource(
                installer("agent --node-name gpu-1 --server https://10.0.0.1:6443"), null),
            "https://10.0.0.1:6443",
            TOKEN),
        "k3s-prod:join-workers");
    assertThat(nodes.installed(server.target()).orElseThrow().owner())
        .isEqualTo("k3s-prod:join-workers");

    assertThatThrownBy(
            () ->
                nodes.install(
                    server.target(),
                    new K3sInstall(
                        "gpu-2",
                        "agent",
                        "v1.29.4+k3s1",
                        new InstallerSource(installer("something else"), null),
                        "https://10.0.0.1:6443",
                        TOKEN),
                    "k"))
        .hasMessageContaining("unexpected args: agent --node-name gpu-2")
        .hasMessageNotContaining("cl'uster");
    assertThat(root.resolve("install.sh")).as("a failed installer, too").doesNotExist();
  }

  @Test
  void readingTheTokenBeforeAnyServerIsThere_failsNamingTheFile() {
    assertThatThrownBy(() -> nodes.readJoinToken(server.target()))
        .hasMessageContaining("the join token (" + root + "/node-token) is not on");
  }
}
