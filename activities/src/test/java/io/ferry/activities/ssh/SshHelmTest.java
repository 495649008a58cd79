package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.port.HelmPort.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshHelm} against a real SSH server with a fake {@code helm} that checks K3s's kubeconfig
 * is exported and each command's exact arguments, keeping the release's revisions in a file the way
 * {@code helm history -o json} reports them.
 */
class SshHelmTest {

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshHelm helm;
  private Path revisions;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir, true);
    ssh = new SshSessions(server.secrets());
    helm = new SshHelm(ssh);
    revisions = dir.resolve("revisions");
    server.fakeCommand(
        "helm",
        "R="
            + quote(revisions.toString())
            + "\n"
            + "[ \"$KUBECONFIG\" = /etc/rancher/k3s/k3s.yaml ] || { echo 'no KUBECONFIG' >&2; exit 9; }\n"
            + "case \"$*\" in\n"
            + "  'history backend -n sophia -o json')\n"
            + "    [ -s \"$R\" ] || { echo 'Error: release: not found' >&2; exit 1; }\n"
            + "    printf '[%s]\\n' \"$(paste -sd, \"$R\")\" ;;\n"
            + "  'upgrade --install backend ./charts/backend -n sophia --create-namespace --set"
            + " global.imageTag=3f2c1ab --description ferry:k3s-prod -o json')\n"
            + "    n=1; [ -f \"$R\" ] && n=$(($(wc -l < \"$R\") + 1))\n"
            + "    echo \"{\\\"revision\\\":$n,\\\"status\\\":\\\"deployed\\\","
            + "\\\"description\\\":\\\"ferry:k3s-prod\\\"}\" >> \"$R\"\n"
            + "    echo \"{\\\"name\\\":\\\"backend\\\",\\\"version\\\":$n}\" ;;\n"
            + "  'rollback backend 1 -n sophia') echo rolled > \"$R.rollback\" ;;\n"
            + "  'uninstall backend -n sophia') [ -s \"$R\" ] || { echo 'Error: uninstall: Release"
            + " not loaded: backend: release: not found' >&2; exit 1; }; rm -f \"$R\" ;;\n"
            + "  *) echo \"unexpected helm args: $*\" >&2; exit 2 ;;\n"
            + "esac\n");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void upgradeInstall_passesTheImageTagAndTheRunsMark_andHistoryReadsItBack() {
    assertThat(helm.history(server.target(), "sophia", "backend")).isEmpty();

    int first =
        helm.upgradeInstall(
            server.target(), "sophia", "backend", "./charts/backend", "3f2c1ab", "ferry:k3s-prod");
    int second =
        helm.upgradeInstall(
            server.target(), "sophia", "backend", "./charts/backend", "3f2c1ab", "ferry:k3s-prod");

    assertThat(first).isEqualTo(1);
    assertThat(second).isEqualTo(2);
    assertThat(helm.history(server.target(), "sophia", "backend"))
        .containsExactly(
            new Revision(1, "deployed", "ferry:k3s-prod"),
            new Revision(2, "deployed", "ferry:k3s-prod"));
  }

  @Test
  void rollbackAndUninstall_runTheExactCommands_andUninstallingWhatIsGone_isNoError() {
    helm.upgradeInstall(
        server.target(), "sophia", "backend", "./charts/backend", "3f2c1ab", "ferry:k3s-prod");

    helm.rollback(server.target(), "sophia", "backend", 1);
    helm.uninstall(server.target(), "sophia", "backend");
    helm.uninstall(server.target(), "sophia", "backend");

    assertThat(Files.exists(Path.of(revisions + ".rollback"))).isTrue();
    assertThat(helm.history(server.target(), "sophia", "backend")).isEmpty();
  }

  @Test
  void anImageTagWithShellCharacters_isRefused_andHelmsOwnErrorIsNamed() {
    assertThatThrownBy(
            () ->
                helm.upgradeInstall(
                    server.target(), "sophia", "backend", "./charts/backend", "x;rm -rf /", "m"))
        .hasMessageContaining("imageTag must be an image tag");
    assertThatThrownBy(
            () ->
                helm.upgradeInstall(
                    server.target(), "sophia", "backend", "./charts/other", "3f2c1ab", "m"))
        .hasMessageContaining("helm upgrade --install backend on")
        .hasMessageContaining("unexpected helm args: upgrade --install backend ./charts/other");
  }
}
