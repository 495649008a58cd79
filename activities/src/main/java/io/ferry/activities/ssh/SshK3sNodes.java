package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.K3sNodesPort;
import io.ferry.plan.SshTarget;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link K3sNodesPort} over SSH: the installer (uploaded, or fetched by the host) run with the
 * seed's flags and the plan's pinned version, Ferry's mark beside K3s's own files, and K3s's
 * uninstall scripts. The token reaches the installer on stdin, never on a command line.
 */
public final class SshK3sNodes implements K3sNodesPort {

  static final String KUBECONFIG = "/etc/rancher/k3s/k3s.yaml";
  private static final Pattern VERSION = Pattern.compile("\\bk3s version (v\\S+)");
  private static final Pattern NODE = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

  /**
   * Where K3s keeps what Ferry reads and marks: K3s's own paths, other ones only in tests.
   *
   * @param scripts the directory of {@code k3s-uninstall.sh} and {@code k3s-agent-uninstall.sh}
   * @param upload where an uploaded installer is put
   */
  public record Paths(
      String binary,
      String mark,
      String tokenFile,
      String kubeconfig,
      String scripts,
      String upload) {
    public static final Paths K3S =
        new Paths(
            "/usr/local/bin/k3s",
            "/var/lib/rancher/k3s/ferry-owner",
            "/var/lib/rancher/k3s/server/node-token",
            KUBECONFIG,
            "/usr/local/bin",
            "/tmp/ferry-k3s-install.sh");
  }

  private final SshSessions ssh;
  private final Paths paths;

  public SshK3sNodes(SshSessions ssh) {
    this(ssh, Paths.K3S);
  }

  public SshK3sNodes(SshSessions ssh, Paths paths) {
    this.ssh = ssh;
    this.paths = paths;
  }

  @Override
  public Optional<Installed> installed(SshTarget host) {
    String script =
        "command -v "
            + quote(paths.binary())
            + " >/dev/null 2>&1 || { echo absent; exit 0; }\n"
            + quote(paths.binary())
            + " --version | head -n 1\n"
            + "if [ -f "
            + quote(paths.mark())
            + " ]; then printf 'owner %s\\n' \"$(cat "
            + quote(paths.mark())
            + ")\"; fi\n";
    String out = ssh.execOrFail(host, "looking for K3s", ExecRequest.of(script));
    if (out.strip().equals("absent")) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException(
          paths.binary() + " --version on " + host.host() + " said: " + out.strip());
    }
    String owner = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("owner ")) {
        owner = line.substring("owner ".length()).strip();
      }
    }
    return Optional.of(new Installed(m.group(1), owner));
  }

  @Override
  public void install(SshTarget host, K3sInstall install, String owner) {
    if (!NODE.matcher(RemoteScript.option("nodeName", install.nodeName())).matches()) {
      throw Failures.invalidInput("node name must be a-z, 0-9 and -, was " + install.nodeName());
    }
    if (!install.role().equals("server") && !install.role().equals("agent")) {
      throw Failures.invalidInput("role must be server or agent, was " + install.role());
    }
    List<String> args = new ArrayList<>(List.of(install.role()));
    if (install.role().equals("server")) {
      args.addAll(List.of("--disable", "traefik", "--write-kubeconfig-mode", "644"));
    }
    args.addAll(List.of("--node-name", install.nodeName()));
    if (install.server() == null) {
      args.add("--cluster-init");
    } else {
      args.addAll(List.of("--server", RemoteScript.option("server", install.server())));
    }
    String installer;
    if (install.installer().script() != null) {
      ssh.upload(
          host, paths.upload(), new ByteArrayInputStream(install.installer().script()), 0700);
      // the uploaded installer goes once it has run (it would stay in /tmp, 0700, forever)
      String upload = quote(paths.upload());
      installer =
          "sh "
              + upload
              + " "
              + Shell.words(args)
              + " || { s=$?; rm -f -- "
              + upload
              + "; exit $s; }\nrm -f -- "
              + upload;
    } else {
      installer =
          RemoteScript.need("curl")
              + "curl -sfL "
              + quote(RemoteScript.option("installer.url", install.installer().url()))
              + " | sh -s - "
              + Shell.words(args);
    }
    // the token goes in through the environment, read from stdin: never on a command line
    String script =
        "set -e\nIFS= read -r K3S_TOKEN\nexport K3S_TOKEN\n"
            + "export INSTALL_K3S_VERSION="
            + quote(RemoteScript.option("version", install.version()))
            + "\n"
            + installer
            + "\nmkdir -p -- \"$(dirname -- "
            + quote(paths.mark())
            + ")\"\nprintf '%s\\n' "
            + quote(owner)
            + " > "
            + quote(paths.mark())
            + "\n";
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script).withStdin(install.token() + "\n").withTimeout(INSTALL_TIMEOUT));
    RemoteScript.requireInstalled(
        host,
        result,
        "curl",
        "apt-get install -y curl, or upload the installer (cluster.installer.uploadFrom)");
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "installing K3s "
              + install.version()
              + " ("
              + install.role()
              + ") on "
              + host.host()
              + " failed: "
              + RemoteScript.masked(
                  RemoteScript.lastLines(result.stderr() + result.stdout(), 5), install.token()));
    }
  }

  @Override
  public boolean uninstall(SshTarget host) {
    String script =
        "for s in "
            + quote(paths.scripts() + "/k3s-uninstall.sh")
            + " "
            + quote(paths.scripts() + "/k3s-agent-uninstall.sh")
            + "; do\n"
            + "  if [ -x \"$s\" ]; then \"$s\"; echo uninstalled; exit 0; fi\n"
            + "done\necho absent\n";
    String out =
        ssh.execOrFail(
            host, "uninstalling K3s", ExecRequest.of(script).withTimeout(INSTALL_TIMEOUT));
    return out.contains("uninstalled");
  }

  @Override
  public String readJoinToken(SshTarget master) {
    return read(master, paths.tokenFile(), "the join token");
  }

  @Override
  public String readKubeconfig(SshTarget master) {
    return read(master, paths.kubeconfig(), "the kubeconfig");
  }

  /** Read with cat, not SFTP: the files are root's and the plan may log in as a sudoer. */
  private String read(SshTarget host, String path, String what) {
    String p = quote(path);
    String out =
        ssh.execOrFail(
            host,
            "reading " + what,
            ExecRequest.of(
                "if [ ! -f " + p + " ]; then echo absent; exit 0; fi\necho present\ncat -- " + p));
    if (out.startsWith("absent")) {
      throw Failures.notFound(
          what + " (" + path + ") is not on " + host.host() + ": is the K3s server running?");
    }
    return out.substring(out.indexOf('\n') + 1);
  }
}
