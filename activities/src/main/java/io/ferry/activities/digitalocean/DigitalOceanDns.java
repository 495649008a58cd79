package io.ferry.activities.digitalocean;

import com.myjeeva.digitalocean.pojo.DomainRecords;
import io.ferry.activities.Failures;
import io.ferry.activities.port.DnsPort;
import java.util.ArrayList;
import java.util.List;

/** {@link DnsPort} on DigitalOcean's domains API, through digitalocean-api-client. */
public final class DigitalOceanDns implements DnsPort {

  private static final int PAGE_SIZE = 200;

  private final DoLibrary library;

  public DigitalOceanDns(DoLibrary library) {
    this.library = library;
  }

  @Override
  public List<DomainRecord> records(String domain) {
    List<DomainRecord> all = new ArrayList<>();
    for (int page = 1; ; page++) {
      int p = page;
      DomainRecords records =
          library.call(
              "GET /v2/domains/" + domain + "/records",
              c -> c.getDomainRecords(domain, p, PAGE_SIZE));
      List<com.myjeeva.digitalocean.pojo.DomainRecord> list =
          records.getDomainRecords() == null ? List.of() : records.getDomainRecords();
      list.forEach(r -> all.add(record(r)));
      if (list.size() < PAGE_SIZE) {
        return List.copyOf(all);
      }
    }
  }

  @Override
  public DomainRecord create(String domain, String name, String type, String data, int ttl) {
    com.myjeeva.digitalocean.pojo.DomainRecord r =
        new com.myjeeva.digitalocean.pojo.DomainRecord(name, data, type);
    r.setTtl(ttl);
    return record(
        library.call(
            "POST /v2/domains/" + domain + "/records", c -> c.createDomainRecord(domain, r)));
  }

  /** DO's PUT wants the record's type; it is read first, so callers pass only what changes. */
  @Override
  public void update(String domain, long id, String data, int ttl) {
    Integer recordId = recordId(id);
    com.myjeeva.digitalocean.pojo.DomainRecord current =
        library.call(
            "GET /v2/domains/" + domain + "/records/" + id,
            c -> c.getDomainRecordInfo(domain, recordId));
    com.myjeeva.digitalocean.pojo.DomainRecord change =
        new com.myjeeva.digitalocean.pojo.DomainRecord(current.getName(), data, current.getType());
    change.setTtl(ttl);
    library.call(
        "PUT /v2/domains/" + domain + "/records/" + id,
        c -> c.updateDomainRecord(domain, recordId, change));
  }

  @Override
  public void delete(String domain, long id) {
    library.call(
        "DELETE /v2/domains/" + domain + "/records/" + id,
        c -> c.deleteDomainRecord(domain, recordId(id)));
  }

  private static Integer recordId(long id) {
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw Failures.invalidInput("DNS record id " + id + " is out of range");
    }
    return (int) id;
  }

  private static DomainRecord record(com.myjeeva.digitalocean.pojo.DomainRecord r) {
    return new DomainRecord(
        r.getId(), r.getName(), r.getType(), r.getData(), r.getTtl() == null ? 0 : r.getTtl());
  }
}
