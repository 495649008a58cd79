package io.ferry.activities.sim;

import io.ferry.activities.port.HttpPort;
import io.ferry.contract.EdgeActivities.EdgeHost;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probe target of the K3s world: the K3s stack's URL fails at the error rate a knob sets, the
 * public URL through the edge fails as often as the edge sends traffic to a failing K3s, and each
 * service's health URL answers once its release is deployed and Ready. Failures are spread
 * deterministically (every n-th request), so a rehearsal repeats. Other URLs go to the shared HTTP.
 */
final class SimK3sProbes implements HttpPort {

  private static final Duration SWARM_LATENCY = Duration.ofMillis(42);
  private static final Duration K3S_LATENCY = Duration.ofMillis(38);
  private static final Pattern EVERYONE = Pattern.compile("\\n\\s*default (\\S+);");

  private final SimWorld world;
  private String k3sUrl;
  private String publicUrl;
  private String swarmUrl;
  private EdgeHost edge;
  private Pattern k3sWeight;
  private double errorRate;
  private int errorsFromPercent;
  private double swarmErrorRate;
  private long swarmRequests;
  private long k3sRequests;
  private long publicRequests;
  private final Map<String, String> healthOf = new TreeMap<>();

  SimK3sProbes(SimWorld world) {
    this.world = world;
  }

  void seed(
      String swarm,
      String k3s,
      String publicEdge,
      EdgeHost edgeHost,
      String k3sBackend,
      Map<String, String> healthUrls) {
    synchronized (world) {
      this.edge = edgeHost;
      this.k3sWeight = Pattern.compile("server " + Pattern.quote(k3sBackend) + " weight=(\\d+);");
      this.swarmUrl = swarm;
      this.k3sUrl = k3s;
      this.publicUrl = publicEdge;
      healthOf.putAll(healthUrls);
    }
  }

  void errorRate(double rate, int fromPercent) {
    synchronized (world) {
      this.errorRate = rate;
      this.errorsFromPercent = fromPercent;
    }
  }

  void swarmErrorRate(double rate) {
    synchronized (world) {
      this.swarmErrorRate = rate;
    }
  }

  /** The K3s stack's error rate now: it fails only once the edge sends it enough traffic. */
  private double rateNow() {
    return k3sShare() >= errorsFromPercent ? errorRate : 0;
  }

  /**
   * K3s's share as the edge's site says: its weight in the split upstream, all when everyone goes
   * to the new backend's upstream, none otherwise (or when there is no site).
   */
  private int k3sShare() {
    String site = edge == null ? null : world.edge.readSite(edge).orElse(null);
    if (site == null) {
      return 0;
    }
    Matcher weight = k3sWeight.matcher(site);
    if (weight.find()) {
      return Integer.parseInt(weight.group(1));
    }
    Matcher everyone = EVERYONE.matcher(site);
    return everyone.find() && everyone.group(1).endsWith("_new") ? 100 : 0;
  }

  @Override
  public HttpAnswer get(String url) {
    synchronized (world) {
      if (url.equals(k3sUrl)) {
        k3sRequests++;
        return new HttpAnswer(fails(k3sRequests, rateNow()) ? 503 : 200, K3S_LATENCY);
      }
      if (url.equals(swarmUrl)) {
        swarmRequests++;
        return new HttpAnswer(fails(swarmRequests, swarmErrorRate) ? 503 : 200, SWARM_LATENCY);
      }
      if (url.equals(publicUrl)) {
        publicRequests++;
        double share = k3sShare() / 100.0;
        return new HttpAnswer(fails(publicRequests, rateNow() * share) ? 502 : 200, SWARM_LATENCY);
      }
      String release = healthOf.get(url);
      if (release != null) {
        return new HttpAnswer(world.k3sWorld.helm.serving(release) ? 200 : 503, K3S_LATENCY);
      }
    }
    return world.http.get(url);
  }

  /** The n-th request fails when the count of failures due by n grows: rate spread evenly. */
  private static boolean fails(long n, double rate) {
    return Math.floor(n * rate) > Math.floor((n - 1) * rate);
  }
}
