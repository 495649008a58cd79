package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.EdgeProxyPort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.contract.EdgeActivities.EdgeHost;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated hosts' nginx: the site is a file on the host (in the ledger with the others), and
 * its test fails on unbalanced braces or when a knob says the host's nginx refuses (as a duplicate
 * upstream elsewhere in its configuration would make it).
 */
final class SimEdge implements EdgeProxyPort {

  private final SimWorld world;
  private final Map<String, String> refusals = new HashMap<>();

  SimEdge(SimWorld world) {
    this.world = world;
  }

  @Override
  public Optional<String> readSite(EdgeHost edge) {
    synchronized (world) {
      Host host = world.hosts.connect(edge.host());
      return Optional.ofNullable(host.files.get(path(edge))).map(HostFile::content);
    }
  }

  @Override
  public void installSite(EdgeHost edge, String config) {
    synchronized (world) {
      Host host = world.hosts.connect(edge.host());
      String refusal = refusals.get(host.address);
      long open = config.chars().filter(ch -> ch == '{').count();
      long close = config.chars().filter(ch -> ch == '}').count();
      if (refusal == null && open != close) {
        refusal = "nginx: [emerg] unexpected end of file, expecting \"}\" in " + path(edge);
      }
      if (refusal != null) {
        throw Failures.precondition(
            "nginx -t on "
                + host.address
                + " refused the site "
                + path(edge)
                + " (the previous config is back and still serving): "
                + refusal
                + "\nnginx: configuration file /etc/nginx/nginx.conf test failed");
      }
      world.hosts.putFile(host, path(edge), new HostFile(config, "0644"));
    }
  }

  @Override
  public void removeSite(EdgeHost edge) {
    synchronized (world) {
      Host host = world.hosts.connect(edge.host());
      if (host.files.remove(path(edge)) != null) {
        world.ledger.remove("file", host.address + ":" + path(edge));
      }
    }
  }

  /** From now on the host's {@code nginx -t} fails with {@code message} (null: it passes again). */
  void refuse(String address, String message) {
    synchronized (world) {
      if (message == null) {
        refusals.remove(address);
      } else {
        refusals.put(address, message);
      }
    }
  }

  private static String path(EdgeHost edge) {
    String path = Failures.require("edge.sitePath", edge.sitePath());
    if (!path.startsWith("/")) {
      throw Failures.invalidInput("edge.sitePath must be absolute, was " + path);
    }
    return path;
  }
}
