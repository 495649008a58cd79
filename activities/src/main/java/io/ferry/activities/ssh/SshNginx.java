package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.EdgeProxyPort;
import io.ferry.contract.EdgeActivities.EdgeHost;
import java.util.Optional;

/**
 * {@link EdgeProxyPort} for nginx over SSH. One script per change: the new site goes in by rename,
 * {@code nginx -t} judges the whole configuration, and only then {@code nginx -s reload}; a failed
 * test or reload renames the previous file back (or removes the new one) before it reports.
 */
public final class SshNginx implements EdgeProxyPort {

  private static final String INSTALL = "install nginx (Debian/Ubuntu: apt-get install -y nginx)";
  private static final int TEST_FAILED = 3;
  private static final int RELOAD_FAILED = 4;

  private final SshSessions ssh;

  public SshNginx(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public Optional<String> readSite(EdgeHost edge) {
    String site = quote(absolute(edge.sitePath()));
    String out =
        ssh.execOrFail(
            host(edge),
            "reading " + edge.sitePath(),
            ExecRequest.of(
                "if [ -e " + site + " ]; then echo present; exec cat -- " + site + "; fi\n"));
    return out.startsWith("present\n")
        ? Optional.of(out.substring("present\n".length()))
        : Optional.empty();
  }

  @Override
  public void installSite(EdgeHost edge, String config) {
    Failures.require("config", config);
    change(edge, "cat > \"$new\"\nchmod 0644 -- \"$new\"\nmv -f -- \"$new\" \"$site\"\n", config);
  }

  @Override
  public void removeSite(EdgeHost edge) {
    change(edge, "[ \"$had\" = 1 ] || exit 0\nrm -f -- \"$site\" \"$new\"\n", null);
  }

  /**
   * Runs {@code edit} (which replaces or removes {@code $site}) between keeping the previous file
   * and testing + reloading; any failure after the edit puts the previous file back.
   */
  private void change(EdgeHost edge, String edit, String stdin) {
    String site = absolute(edge.sitePath());
    String dir = site.substring(0, Math.max(1, site.lastIndexOf('/')));
    String name = site.substring(site.lastIndexOf('/') + 1);
    String flags = edge.mainConfig() == null ? "" : " -c " + quote(absolute(edge.mainConfig()));
    // temporary files start with a dot: an include of dir/* or dir/*.conf never picks them up
    String script =
        RemoteScript.need("nginx")
            + "set -u\nsite="
            + quote(site)
            + "\nmkdir -p -- "
            + quote(dir)
            + "\numask 022\n"
            + "prev=$(mktemp -- "
            + quote(dir + "/." + name + ".ferry-prev-XXXXXX")
            + ") || exit 1\n"
            + "new=$(mktemp -- "
            + quote(dir + "/." + name + ".ferry-new-XXXXXX")
            + ") || exit 1\n"
            + "trap 'rm -f -- \"$prev\" \"$new\"' EXIT\n"
            + "had=0\nif [ -e \"$site\" ]; then cp -p -- \"$site\" \"$prev\" && had=1 || exit 1; fi\n"
            + "put_back() { if [ \"$had\" = 1 ]; then mv -f -- \"$prev\" \"$site\";"
            + " else rm -f -- \"$site\"; fi; }\n"
            + edit
            + "if ! out=$(nginx -t"
            + flags
            + " 2>&1); then put_back; printf '%s\\n' \"$out\" >&2; exit "
            + TEST_FAILED
            + "; fi\n"
            + "if ! out=$(nginx"
            + flags
            + " -s reload 2>&1); then put_back; printf '%s\\n' \"$out\" >&2; exit "
            + RELOAD_FAILED
            + "; fi\n";
    ExecRequest request = ExecRequest.of(script);
    ExecResult result = ssh.exec(host(edge), stdin == null ? request : request.withStdin(stdin));
    RemoteScript.requireInstalled(host(edge), result, "nginx", INSTALL);
    if (result.succeeded()) {
      return;
    }
    String message = RemoteScript.lastLines(result.stderr(), 4);
    if (result.exitStatus() == TEST_FAILED) {
      throw Failures.precondition(
          "nginx -t on "
              + edge.host().host()
              + " refused the site "
              + site
              + " (the previous config is back and still serving): "
              + message);
    }
    if (result.exitStatus() == RELOAD_FAILED) {
      throw Failures.precondition(
          "nginx -s reload on "
              + edge.host().host()
              + " failed (the previous site file is back; is nginx running?): "
              + message);
    }
    throw new IllegalStateException(
        "changing " + site + " on " + edge.host().host() + " failed: " + message);
  }

  private static io.ferry.plan.SshTarget host(EdgeHost edge) {
    Failures.require("edge", edge);
    return Failures.require("edge.host", edge.host());
  }
}
