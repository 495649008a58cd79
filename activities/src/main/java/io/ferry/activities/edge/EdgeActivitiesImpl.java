package io.ferry.activities.edge;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.EdgeProxyPort;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.probe.PublicRequests;
import io.ferry.activities.probe.PublicRequests.Tally;
import io.ferry.contract.EdgeActivities;
import io.ferry.contract.EdgeActivities.ReloadWatch;
import java.util.Optional;

/**
 * {@link EdgeActivities} for an nginx edge: renders {@link NginxSite}, installs it through the
 * {@link EdgeProxyPort} (tested before every reload). The site as it was before a key's first
 * change is kept beside it as a dot file (which no {@code include dir/*} picks up), or an empty
 * marker when there was none, so the undo restores exactly that.
 */
public final class EdgeActivitiesImpl implements EdgeActivities {

  private final EdgeProxyPort proxy;
  private final HostFilesPort files;
  private final PublicRequests publicRequests;

  public EdgeActivitiesImpl(EdgeProxyPort proxy, HostFilesPort files, PublicRequests requests) {
    this.proxy = proxy;
    this.files = files;
    this.publicRequests = requests;
  }

  @Override
  public EdgeRouted routeTraffic(EdgeRoutes routes) {
    EdgeHost edge = edge(routes.edge());
    String config = NginxSite.render(routes.site(), routes.testUsersToNew(), routes.newPercent());
    Optional<String> current = proxy.readSite(edge);
    String kept = keptPath(edge, routes.key());
    // keep the original once: a later change under the same key must not overwrite it
    if (files.readFile(edge.host(), kept).isEmpty()
        && files.readFile(edge.host(), kept + ABSENT).isEmpty()) {
      if (current.isPresent()) {
        files.writeFile(edge.host(), kept, current.get(), "0600");
      } else {
        files.writeFile(edge.host(), kept + ABSENT, "", "0600");
      }
    }
    boolean changed = !current.map(config::equals).orElse(false);
    Tally watched = Tally.NONE;
    ReloadWatch watch = routes.watch();
    if (changed && watch != null) {
      watched =
          publicRequests.around(
              watch.publicUrls(), () -> proxy.installSite(edge, config), watch.settle());
      if (watched.failed() > watch.failuresAllowed()) {
        throw Failures.thresholdNotMet(
            "zero-downtime budget spent while the edge reloaded to "
                + routes.newPercent()
                + " %: "
                + watched.failed()
                + " of "
                + watched.requests()
                + " public requests failed ("
                + watched.firstFailure()
                + "), "
                + Math.max(0, watch.failuresAllowed())
                + " allowed");
      }
    } else if (changed) {
      proxy.installSite(edge, config);
    }
    return new EdgeRouted(
        edge.host().host(),
        edge.sitePath(),
        routes.testUsersToNew(),
        routes.newPercent(),
        changed,
        watched.requests(),
        watched.failed());
  }

  @Override
  public void restoreEdge(EdgeRestore restore) {
    EdgeHost edge = edge(restore.edge());
    String kept = keptPath(edge, restore.key());
    Optional<String> original =
        files.readFile(edge.host(), kept).map(HostFilesPort.HostFile::content);
    if (original.isPresent()) {
      if (!proxy.readSite(edge).equals(original)) {
        proxy.installSite(edge, original.get());
      }
      files.removeFile(edge.host(), kept);
      return;
    }
    if (files.readFile(edge.host(), kept + ABSENT).isPresent()) {
      proxy.removeSite(edge);
      files.removeFile(edge.host(), kept + ABSENT);
    }
  }

  private static final String ABSENT = ".absent";

  /** {@code <dir>/.<name>.ferry-<safe key>}. */
  static String keptPath(EdgeHost edge, String key) {
    String site = edge.sitePath();
    int slash = site.lastIndexOf('/');
    return site.substring(0, slash + 1)
        + "."
        + site.substring(slash + 1)
        + ".ferry-"
        + Keys.safe(Failures.require("key", key));
  }

  private static EdgeHost edge(EdgeHost edge) {
    Failures.require("edge", edge);
    Failures.require("edge.host", edge.host());
    String site = Failures.require("edge.sitePath", edge.sitePath());
    if (!site.startsWith("/") || site.endsWith("/")) {
      throw Failures.invalidInput("edge.sitePath must be an absolute file path, was " + site);
    }
    return edge;
  }
}
