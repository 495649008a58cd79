package io.ferry.activities.port;

import java.util.List;

/** Records of a domain at the DNS provider. */
public interface DnsPort {

  List<DomainRecord> records(String domain);

  DomainRecord create(String domain, String name, String type, String data, int ttl);

  void update(String domain, long id, String data, int ttl);

  void delete(String domain, long id);

  record DomainRecord(long id, String name, String type, String data, int ttl) {}
}
