package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.DnsPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Domains and their records. A domain first touched without a plan gets A records for {@code @},
 * {@code www}, {@code api}, {@code admin}, {@code app} and {@code chat}; with a plan, the plan's
 * names. Seeded records point at {@value #SEEDED_ADDRESS} with a TTL of one hour.
 */
final class SimDns implements DnsPort {

  static final String SEEDED_ADDRESS = "203.0.113.10";
  static final int SEEDED_TTL = 3600;
  private static final List<String> DEFAULT_NAMES =
      List.of("@", "www", "api", "admin", "app", "chat");

  private final SimWorld world;
  private final Map<String, Map<Long, DomainRecord>> domains = new TreeMap<>();

  SimDns(SimWorld world) {
    this.world = world;
  }

  /** Creates the domain with A records for the names (once; a known domain gets missing names). */
  void seed(String domain, Collection<String[]> namesAndTypes) {
    synchronized (world) {
      Map<Long, DomainRecord> records = domains.computeIfAbsent(domain, d -> new LinkedHashMap<>());
      for (String[] nt : namesAndTypes) {
        boolean present =
            records.values().stream()
                .anyMatch(r -> r.name().equals(nt[0]) && r.type().equals(nt[1]));
        if (!present) {
          String data = "CNAME".equals(nt[1]) ? "lb." + domain + "." : SEEDED_ADDRESS;
          put(domain, new DomainRecord(world.nextRecordId(), nt[0], nt[1], data, SEEDED_TTL));
        }
      }
    }
  }

  private Map<Long, DomainRecord> domain(String domain) {
    if (!domains.containsKey(domain)) {
      List<String[]> defaults = new ArrayList<>();
      DEFAULT_NAMES.forEach(n -> defaults.add(new String[] {n, "A"}));
      seed(domain, defaults);
    }
    return domains.get(domain);
  }

  @Override
  public List<DomainRecord> records(String domain) {
    synchronized (world) {
      return List.copyOf(domain(domain).values());
    }
  }

  @Override
  public DomainRecord create(String domain, String name, String type, String data, int ttl) {
    synchronized (world) {
      domain(domain);
      DomainRecord r = new DomainRecord(world.nextRecordId(), name, type, data, ttl);
      put(domain, r);
      return r;
    }
  }

  @Override
  public void update(String domain, long id, String data, int ttl) {
    synchronized (world) {
      DomainRecord r = domain(domain).get(id);
      if (r == null) {
        throw Failures.notFound("record " + id + " of " + domain + " does not exist");
      }
      put(domain, new DomainRecord(id, r.name(), r.type(), data, ttl));
    }
  }

  @Override
  public void delete(String domain, long id) {
    synchronized (world) {
      DomainRecord r = domain(domain).remove(id);
      if (r == null) {
        throw Failures.notFound("record " + id + " of " + domain + " does not exist");
      }
      world.ledger.remove("dns-record", resourceId(domain, r));
    }
  }

  private void put(String domain, DomainRecord r) {
    domains.get(domain).put(r.id(), r);
    Map<String, String> a = new LinkedHashMap<>();
    a.put("data", r.data());
    a.put("ttl", Integer.toString(r.ttl()));
    world.ledger.put(new Resource("dns-record", resourceId(domain, r), a));
  }

  private static String resourceId(String domain, DomainRecord r) {
    String fqdn = "@".equals(r.name()) ? domain : r.name() + "." + domain;
    return fqdn + "/" + r.type() + "/" + r.id();
  }
}
