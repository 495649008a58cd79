package io.ferry.contract;

import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;

/**
 * The edge proxy in front of an old and a new backend: which share of requests reaches the new one,
 * and whether test users (a header or cookie) reach it before everyone. Every change is tested by
 * the proxy before it is loaded; one that fails its test leaves the running config as it was.
 */
@ActivityInterface(namePrefix = "Edge.")
public interface EdgeActivities {

  /**
   * Writes the site with these routes, tests and reloads the proxy. The site as it was before the
   * first change under {@code key} is kept once, so {@link #restoreEdge} can put it back.
   */
  EdgeRouted routeTraffic(EdgeRoutes routes);

  /** Puts back the site as it was before {@code key}'s first change; nothing when none was kept. */
  void restoreEdge(EdgeRestore restore);

  /**
   * The proxy on a host and its site file.
   *
   * @param sitePath the site's config file, included by the proxy's main config
   * @param mainConfig the proxy's main config ({@code nginx -c}), or null for its default
   */
  record EdgeHost(SshTarget host, String sitePath, String mainConfig) {}

  /**
   * What the site serves.
   *
   * @param name short name, used for the proxy's upstream names
   * @param staticRoot a directory of static files served at {@code /} (the chat UIs), or null to
   *     proxy {@code /} as well
   * @param proxiedPath the path prefix proxied to the backends, such as {@code /api}
   * @param oldBackend {@code host:port} serving today
   * @param newBackend {@code host:port} taking over
   * @param testUsers who reaches the new backend whatever the weight, or null
   */
  record EdgeSite(
      String name,
      int listen,
      List<String> serverNames,
      String staticRoot,
      String proxiedPath,
      String oldBackend,
      String newBackend,
      TestUsers testUsers) {}

  /**
   * Requests carrying {@code header: value} or the cookie {@code cookie=value} are test users'.
   *
   * @param header a request header name, or null
   * @param cookie a cookie name, or null
   */
  record TestUsers(String header, String cookie, String value) {}

  /**
   * @param testUsersToNew whether test users go to the new backend
   * @param newPercent the share of everyone else's requests sent to the new backend, 0 to 100
   * @param watch what users reach through the edge, probed through the change, or null
   */
  record EdgeRoutes(
      EdgeHost edge,
      EdgeSite site,
      boolean testUsersToNew,
      int newPercent,
      String key,
      ReloadWatch watch) {

    public EdgeRoutes(
        EdgeHost edge, EdgeSite site, boolean testUsersToNew, int newPercent, String key) {
      this(edge, site, testUsersToNew, newPercent, key, null);
    }
  }

  /**
   * The zero-downtime watch of one change at the edge: the public URLs are probed from before the
   * reload until {@code settle} after it; more failures than {@code failuresAllowed} fail the step.
   */
  record ReloadWatch(List<String> publicUrls, int failuresAllowed, Duration settle) {}

  record EdgeRestore(EdgeHost edge, String key) {}

  /**
   * @param watchedRequests public requests made through the change (0 without a watch)
   * @param watchedFailed how many of them failed
   */
  record EdgeRouted(
      String host,
      String sitePath,
      boolean testUsersToNew,
      int newPercent,
      boolean changed,
      int watchedRequests,
      int watchedFailed)
      implements Summarized {
    @Override
    public String summary() {
      return (changed ? "routed " : "already routing ")
          + newPercent
          + " % to the new backend"
          + (testUsersToNew ? ", test users to the new backend" : "")
          + " ("
          + sitePath
          + " on "
          + host
          + ", tested and reloaded"
          + (watchedRequests == 0
              ? ""
              : "; "
                  + watchedFailed
                  + " of "
                  + watchedRequests
                  + " public requests failed meanwhile")
          + ")";
    }
  }
}
