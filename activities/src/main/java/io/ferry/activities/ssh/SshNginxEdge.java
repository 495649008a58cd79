package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.WeightedEdgePort;
import io.ferry.contract.K3sActivities.EdgeRef;
import io.ferry.plan.SshTarget;

/**
 * {@link WeightedEdgePort} on an nginx host over SSH: the upstream rewritten in its file, {@code
 * nginx -t} before every reload, and the file as it was kept beside it ({@code FILE.ferry-KEY})
 * until the shift is undone.
 */
public final class SshNginxEdge implements WeightedEdgePort {

  private final SshSessions ssh;
  private final HostFilesPort files;

  public SshNginxEdge(SshSessions ssh, HostFilesPort files) {
    this.ssh = ssh;
    this.files = files;
  }

  @Override
  public Weights read(EdgeRef edge) {
    return NginxUpstream.read(config(edge), edge.upstream(), edge.swarm(), edge.k3s());
  }

  @Override
  public boolean keep(EdgeRef edge, String key) {
    String from = quote(absolute(edge.configFile()));
    String to = quote(kept(edge, key));
    String out =
        ssh.execOrFail(
            edge.host(),
            "keeping the edge's config",
            ExecRequest.of(
                "if [ -e "
                    + to
                    + " ]; then echo kept-before; else cp -p -- "
                    + from
                    + " "
                    + to
                    + "; echo kept; fi"));
    return out.strip().equals("kept");
  }

  @Override
  public void write(EdgeRef edge, Weights weights) {
    String before = config(edge);
    String after = NginxUpstream.write(before, edge.upstream(), edge.swarm(), edge.k3s(), weights);
    String mode =
        files
            .readFile(edge.host(), edge.configFile())
            .map(HostFilesPort.HostFile::mode)
            .orElse("0644");
    files.writeFile(edge.host(), edge.configFile(), after, mode);
    ExecResult test = nginx(edge.host(), "nginx -t");
    if (!test.succeeded()) {
      files.writeFile(edge.host(), edge.configFile(), before, mode);
      throw Failures.precondition(
          "nginx -t refused the new weights on "
              + edge.host().host()
              + " (the previous config is back, nothing reloaded): "
              + RemoteScript.lastLines(test.stderr(), 3));
    }
    reload(edge.host());
  }

  @Override
  public boolean restore(EdgeRef edge, String key) {
    String kept = quote(kept(edge, key));
    String config = quote(absolute(edge.configFile()));
    String out =
        ssh.execOrFail(
            edge.host(),
            "restoring the edge's config",
            ExecRequest.of(
                "if [ ! -e "
                    + kept
                    + " ]; then echo absent; exit 0; fi\n"
                    + "cp -p -- "
                    + kept
                    + " "
                    + config
                    + "\necho restored\n"));
    if (out.strip().equals("absent")) {
      return false;
    }
    ExecResult test = nginx(edge.host(), "nginx -t");
    if (!test.succeeded()) {
      throw Failures.precondition(
          "nginx -t refuses the restored config on "
              + edge.host().host()
              + " (kept at "
              + kept(edge, key)
              + "): "
              + RemoteScript.lastLines(test.stderr(), 3));
    }
    reload(edge.host());
    ssh.execOrFail(edge.host(), "removing the kept config", ExecRequest.of("rm -f -- " + kept));
    return true;
  }

  private String config(EdgeRef edge) {
    return files
        .readFile(edge.host(), edge.configFile())
        .orElseThrow(
            () -> Failures.notFound("no " + edge.configFile() + " on " + edge.host().host()))
        .content();
  }

  private static String kept(EdgeRef edge, String key) {
    return absolute(edge.configFile()) + ".ferry-" + Keys.safe(key);
  }

  private ExecResult nginx(SshTarget host, String command) {
    ExecResult result = ssh.exec(host, ExecRequest.of(RemoteScript.need("nginx") + command));
    RemoteScript.requireInstalled(host, result, "nginx", "the edge must run nginx");
    return result;
  }

  private void reload(SshTarget host) {
    ExecResult r = nginx(host, "nginx -s reload");
    if (!r.succeeded()) {
      throw new IllegalStateException(
          "nginx -s reload on " + host.host() + " failed: " + r.lastErrorLine());
    }
  }
}
