package io.ferry.roadmap.common;

import io.ferry.plan.Checked;
import io.ferry.plan.PlanChecks;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The plan's {@code dns:} part: the records a cutover points at the new stack, and restores on
 * rollback. Each roadmap fills in its own defaults ({@link #withDefaults}) and says where the
 * records point: at the plan's {@code target}, or at something the migration creates.
 *
 * @param target the address the records point at after cutover, when the plan names it
 */
public record DnsPlan(String domain, List<Name> records, String target, Integer ttl)
    implements Checked {

  private static final Pattern NAME = Pattern.compile("@|[A-Za-z0-9_*]([A-Za-z0-9_.-]{0,62})");
  static final List<String> TYPES = List.of("A", "AAAA", "CNAME");

  public DnsPlan {
    records = records == null ? List.of() : List.copyOf(records);
  }

  /** The same records with the roadmap's default record type and TTL where the plan gives none. */
  public DnsPlan withDefaults(String type, int defaultTtl) {
    return new DnsPlan(
        domain,
        records.stream()
            .map(r -> r == null || r.type() != null ? r : new Name(r.name(), type))
            .toList(),
        target,
        ttl == null ? defaultTtl : ttl);
  }

  @Override
  public void check(PlanChecks c) {
    if (c.required("domain", domain)) {
      c.host("domain", domain);
    }
    if (c.required("records", records)) {
      c.each("records", records);
    }
    if (target != null) {
      c.host("target", target);
    }
    c.range("ttl", ttl, 30, 86_400);
  }

  /** For a roadmap whose plan says where the records point: {@code target} is required. */
  public void checkTargetGiven(PlanChecks c) {
    c.required("target", target);
  }

  /**
   * For a roadmap that points the records at a host name it creates: CNAMEs only, and no {@code
   * target} (it would be ignored).
   */
  public void checkPointedAtCreatedHost(PlanChecks c, String what) {
    if (target != null) {
      c.problem("target", "is not used: the records point at " + what + "; remove it");
    }
    for (int i = 0; i < records.size(); i++) {
      Name r = records.get(i);
      if (r != null && r.type() != null && !r.type().equals("CNAME")) {
        c.problem(
            "records[" + i + "].type",
            "is " + r.type() + " but must be CNAME: the records point at " + what);
      }
    }
  }

  /** One record to switch: {@code api} + {@code A} points api.domain at the target. */
  public record Name(String name, String type) implements Checked {
    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.matches("name", name, NAME, "a record name such as api or @");
        if (name.equals("@") && "CNAME".equals(type)) {
          c.problem(
              "name",
              "'@' is not possible for a CNAME record (the apex cannot be a CNAME);"
                  + " use a name such as www");
        }
      }
      if (type != null) {
        c.oneOf("type", type, TYPES);
      }
    }
  }
}
