package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.WeightedEdgePort.Weights;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weighted upstream in an nginx config: read its two servers' weights, and write them with the
 * rest of the file left as it was. nginx has no weight 0, so 0 % leaves the server out.
 */
final class NginxUpstream {

  private NginxUpstream() {}

  private static Pattern block(String upstream) {
    return Pattern.compile(
        "upstream\\s+" + Pattern.quote(upstream) + "\\s*\\{[^}]*\\}", Pattern.DOTALL);
  }

  static Weights read(String config, String upstream, String swarm, String k3s) {
    Matcher m = block(upstream).matcher(config);
    if (!m.find()) {
      throw Failures.notFound("no upstream " + upstream + " { ... } in the edge's config");
    }
    String body = m.group();
    Integer s = weight(body, swarm);
    Integer k = weight(body, k3s);
    if (s == null && k == null) {
      throw Failures.precondition(
          "upstream " + upstream + " lists neither " + swarm + " nor " + k3s);
    }
    int sw = s == null ? 0 : s;
    int kw = k == null ? 0 : k;
    int total = sw + kw;
    int k3sPercent = (int) Math.round(100.0 * kw / total);
    return new Weights(100 - k3sPercent, k3sPercent);
  }

  static String write(String config, String upstream, String swarm, String k3s, Weights w) {
    Matcher m = block(upstream).matcher(config);
    if (!m.find()) {
      throw Failures.notFound("no upstream " + upstream + " { ... } in the edge's config");
    }
    StringBuilder b = new StringBuilder("upstream ").append(upstream).append(" {\n");
    b.append("    # weights set by ferry: ")
        .append(w.k3s())
        .append(" % on K3s, ")
        .append(w.swarm())
        .append(" % on Swarm\n");
    if (w.swarm() > 0) {
      b.append("    server ").append(swarm).append(" weight=").append(w.swarm()).append(";\n");
    }
    if (w.k3s() > 0) {
      b.append("    server ").append(k3s).append(" weight=").append(w.k3s()).append(";\n");
    }
    b.append("}");
    return config.substring(0, m.start()) + b + config.substring(m.end());
  }

  private static Integer weight(String body, String server) {
    Matcher m =
        Pattern.compile("server\\s+" + Pattern.quote(server) + "(\\s+[^;]*)?;").matcher(body);
    if (!m.find()) {
      return null;
    }
    String params = m.group(1) == null ? "" : m.group(1);
    Matcher w = Pattern.compile("weight=(\\d+)").matcher(params);
    return w.find() ? Integer.parseInt(w.group(1)) : 1;
  }
}
