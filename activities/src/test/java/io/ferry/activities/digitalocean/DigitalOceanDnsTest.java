package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.SimFixture;
import io.ferry.activities.port.DnsPort.DomainRecord;
import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DnsChange;
import io.ferry.contract.CloudActivities.DnsName;
import io.ferry.contract.CloudActivities.DnsQuery;
import io.ferry.contract.CloudActivities.DnsRecord;
import io.ferry.contract.CloudActivities.DnsRecords;
import io.ferry.runbook.FailureTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DNS adapter, through the real {@link CloudActivities} against the fake DO. */
class DigitalOceanDnsTest {

  private static final String DOMAIN = "orchestra.example.com";

  private final DoFixture f = new DoFixture();
  private final CloudActivities cloud = f.cloud();

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  @Test
  void writeDnsRecords_createsUpdatesAndDeletes_andRestoreBringsTheOldRecordsBack() {
    f.fake.seedDomain(DOMAIN, "api", "A", "203.0.113.10", 3600);
    f.fake.seedDomain(DOMAIN, "chat", "A", "203.0.113.10", 3600);
    List<DnsName> names =
        List.of(new DnsName("api", "A"), new DnsName("chat", "A"), new DnsName("vec", "A"));
    DnsRecords before = cloud.readDnsRecords(new DnsQuery(DOMAIN, names));

    DnsRecords after =
        cloud.writeDnsRecords(
            new DnsChange(
                DOMAIN,
                names,
                List.of(
                    new DnsRecord("api", "A", "164.90.1.7", 900),
                    new DnsRecord("vec", "A", "164.90.1.8", 900))));

    assertThat(after.records())
        .containsExactlyInAnyOrder(
            new DnsRecord("api", "A", "164.90.1.7", 900),
            new DnsRecord("vec", "A", "164.90.1.8", 900));
    assertThat(f.fake.requests())
        .anyMatch(r -> r.startsWith("PUT /v2/domains/" + DOMAIN + "/records/"));
    assertThat(f.fake.requests())
        .anyMatch(r -> r.startsWith("POST /v2/domains/" + DOMAIN + "/records"));
    assertThat(f.fake.requests())
        .anyMatch(r -> r.startsWith("DELETE /v2/domains/" + DOMAIN + "/records/"));

    DnsRecords restored = cloud.writeDnsRecords(new DnsChange(DOMAIN, names, before.records()));

    assertThat(restored.records()).containsExactlyInAnyOrderElementsOf(before.records());
    assertThat(f.fake.domainRecords(DOMAIN).values())
        .extracting(r -> r.get("name").asText())
        .containsExactlyInAnyOrder("api", "chat");
  }

  @Test
  void records_followsPagesOfTwoHundred() {
    for (int i = 0; i < 230; i++) {
      f.fake.seedDomain(DOMAIN, "host" + i, "A", "198.51.100." + (i % 250), 1800);
    }

    List<DomainRecord> all = f.dns.records(DOMAIN);

    assertThat(all).hasSize(230);
    assertThat(f.fake.requests())
        .filteredOn(r -> r.startsWith("GET /v2/domains/" + DOMAIN + "/records?"))
        .hasSize(2);
  }

  @Test
  void update_keepsTheRecordsNameAndType() {
    f.fake.seedDomain(DOMAIN, "www", "CNAME", "lb.orchestra.example.com.", 3600);
    long id = f.dns.records(DOMAIN).get(0).id();

    f.dns.update(DOMAIN, id, "app.orchestra.example.com.", 300);

    ObjectNode stored = f.fake.domainRecords(DOMAIN).get(id);
    assertThat(stored.get("type").asText()).isEqualTo("CNAME");
    assertThat(stored.get("name").asText()).isEqualTo("www");
    assertThat(stored.get("data").asText()).isEqualTo("app.orchestra.example.com.");
    assertThat(stored.get("ttl").asInt()).isEqualTo(300);
  }

  @Test
  void delete_anUnknownRecord_isNotFound() {
    f.fake.seedDomain(DOMAIN, "api", "A", "203.0.113.10", 3600);

    var failure = SimFixture.failureOf(() -> f.dns.delete(DOMAIN, 99));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void aRateLimitedCall_waitsUntilRateLimitResetThenSucceeds() {
    f.fake.seedDomain(DOMAIN, "api", "A", "203.0.113.10", 3600);
    long reset = java.time.Instant.now().getEpochSecond() + 1;
    f.fake.failNext(
        "GET", "/v2/domains/.*/records", 429, Map.of("RateLimit-Reset", Long.toString(reset)));

    List<DomainRecord> records = f.dns.records(DOMAIN);

    assertThat(records).hasSize(1);
    assertThat(java.time.Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(reset);
    assertThat(f.fake.requests())
        .filteredOn(r -> r.startsWith("GET /v2/domains/" + DOMAIN + "/records?"))
        .hasSize(2);
  }
}
