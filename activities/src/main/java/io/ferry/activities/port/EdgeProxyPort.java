package io.ferry.activities.port;

import io.ferry.contract.EdgeActivities.EdgeHost;
import java.util.Optional;

/**
 * A reverse proxy's site on a host (nginx in the real adapter): its config file, installed only
 * after the proxy's own test of its whole configuration passes.
 */
public interface EdgeProxyPort {

  /** The site's config file as installed, or empty when there is none. */
  Optional<String> readSite(EdgeHost edge);

  /**
   * Installs {@code config} as the site, tests the proxy's configuration and reloads it. When the
   * test or the reload fails, the file that was there (or none) is put back and a {@code
   * PRECONDITION} failure carries the proxy's own message; the running proxy never saw the change.
   */
  void installSite(EdgeHost edge, String config);

  /** Removes the site, tests and reloads; nothing to do when it is not there. */
  void removeSite(EdgeHost edge);
}
