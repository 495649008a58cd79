package io.ferry.roadmap.k3s;

import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.plan.Checked;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The nginx edge that fronts both stacks: the site Ferry writes there (a weighted upstream over the
 * Swarm and the K3s address of the service) and the URLs the shift's analysis probes.
 *
 * @param kind the edge: {@code nginx}; see {@link #check} for Traefik
 * @param sitePath the site's file, included by nginx's main config; kept as it was, restored on
 *     rollback
 * @param mainConfig nginx's main config ({@code nginx -c}), or null for its default
 * @param proxiedPath the path proxied to the backends (default {@code /})
 * @param publicUrl through the edge: probed in every round of the shift, the zero-downtime count
 * @param swarmUrl the Swarm stack directly (the old backend's probe)
 * @param k3sUrl the K3s stack directly (the new backend's probe)
 */
public record K3sEdgePlan(
    String kind,
    SshTarget host,
    String sitePath,
    String mainConfig,
    Integer listen,
    List<String> serverNames,
    String proxiedPath,
    String swarmBackend,
    String k3sBackend,
    String publicUrl,
    String swarmUrl,
    String k3sUrl)
    implements Checked {

  private static final Pattern BACKEND = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9*_][A-Za-z0-9._-]{0,252}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]*");
  private static final Pattern SITE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");

  public K3sEdgePlan {
    kind = kind == null ? "nginx" : kind;
    sitePath = sitePath == null ? "/etc/nginx/conf.d/ferry-k3s.conf" : sitePath;
    listen = listen == null ? 80 : listen;
    serverNames = serverNames == null ? List.of() : List.copyOf(serverNames);
    proxiedPath = proxiedPath == null ? "/" : proxiedPath;
  }

  @Override
  public void check(PlanChecks c) {
    if ("traefik".equals(kind)) {
      c.problem(
          "kind",
          "traefik is not offered: K3s is installed with --disable traefik, and an edge inside"
              + " the cluster could not send traffic back to Swarm nor outlive the cluster's"
              + " uninstall on rollback; name the nginx edge that fronts both stacks");
    } else {
      c.oneOf("kind", kind, List.of("nginx"));
    }
    if (c.required("host", host)) {
      c.nested("host", host);
    }
    c.absolutePath("sitePath", sitePath);
    if (mainConfig != null) {
      c.absolutePath("mainConfig", mainConfig);
    }
    c.port("listen", listen);
    for (int i = 0; i < serverNames.size(); i++) {
      c.matches("serverNames[" + i + "]", serverNames.get(i), SERVER_NAME, "a host name");
    }
    c.matches("proxiedPath", proxiedPath, PATH, "a path such as / or /api");
    if (c.required("swarmBackend", swarmBackend)) {
      c.matches("swarmBackend", swarmBackend, BACKEND, "host:port");
    }
    if (c.required("k3sBackend", k3sBackend)) {
      c.matches("k3sBackend", k3sBackend, BACKEND, "host:port");
    }
    url(c, "publicUrl", publicUrl);
    url(c, "swarmUrl", swarmUrl);
    url(c, "k3sUrl", k3sUrl);
  }

  private static void url(PlanChecks c, String field, String value) {
    if (c.required(field, value)) {
      c.matches(field, value, K3sPlan.URL, "an http(s):// URL of a host, port and path");
    }
  }

  /** Where nginx and the site's file are. */
  public EdgeHost edgeHost() {
    return new EdgeHost(host, sitePath, mainConfig);
  }

  /** The site Ferry writes, named after the plan (its upstreams are {@code ferry_<name>_...}). */
  public EdgeSite site(String planName) {
    return new EdgeSite(
        siteName(planName), listen, serverNames, null, proxiedPath, swarmBackend, k3sBackend, null);
  }

  /** The plan's name as nginx's upstream names allow it; "k3s" when nothing of it fits. */
  static String siteName(String planName) {
    String name = planName == null ? "" : planName.toLowerCase().replaceAll("[^a-z0-9-]", "-");
    name = name.replaceAll("^[^a-z]+", "");
    name = name.length() > 41 ? name.substring(0, 41) : name;
    return SITE_NAME.matcher(name).matches() ? name : "k3s";
  }
}
