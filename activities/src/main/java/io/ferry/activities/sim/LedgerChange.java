package io.ferry.activities.sim;

import io.ferry.runbook.StepCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One change to the ledger and the step that made it.
 *
 * @param step the step whose activity made the change, or null outside a step
 * @param op {@code create}, {@code update} or {@code delete}
 * @param before the resource before (null for a create)
 * @param after the resource after (null for a delete)
 */
public record LedgerChange(StepCall step, String op, Resource before, Resource after) {

  private static final int SHOWN = 24;

  /**
   * One line: {@code + droplet 1001 superagi-dev-sfo2-01 status=new}, {@code ~ droplet 1001 status
   * new->active}, {@code - volume vol-1002}.
   */
  public String describe() {
    return switch (op) {
      case "create" -> created(after);
      case "delete" -> "- " + before.kind() + " " + before.id();
      default -> changed(before, after);
    };
  }

  static String created(Resource r) {
    StringBuilder line = new StringBuilder("+ ").append(r.kind()).append(' ').append(r.id());
    String name = r.attribute("name");
    if (name != null) {
      line.append(' ').append(name);
    }
    r.attributes()
        .forEach(
            (k, v) -> {
              if (!k.equals("name")) {
                line.append(' ').append(k).append('=').append(shown(v));
              }
            });
    if (r.retained()) {
      line.append(" (retained)");
    }
    return line.toString();
  }

  static String changed(Resource before, Resource after) {
    List<String> parts = new ArrayList<>();
    for (String k : new TreeSet<>(union(before.attributes(), after.attributes()))) {
      String a = before.attribute(k);
      String b = after.attribute(k);
      if (a == null ? b != null : !a.equals(b)) {
        parts.add(k + " " + shown(a) + "->" + shown(b));
      }
    }
    return "~ " + after.kind() + " " + after.id() + " " + String.join(", ", parts);
  }

  private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static String shown(String v) {
    if (v == null) {
      return "";
    }
    return v.length() > SHOWN ? v.substring(0, 12) + "..." : v;
  }
}
