package io.ferry.roadmap.common;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;

import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DnsChange;
import io.ferry.contract.CloudActivities.DnsName;
import io.ferry.contract.CloudActivities.DnsQuery;
import io.ferry.contract.CloudActivities.DnsRecord;
import io.ferry.contract.CloudActivities.DnsRecords;
import io.ferry.runbook.Runbook;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import java.util.List;

/**
 * The DNS cutover: a gate, then the current records are read so they can be restored, then they are
 * pointed at the new stack; the undo writes back exactly what was read.
 */
public final class DnsCutover {

  private final StepDef approve;
  private final StepDef readRecords;
  private final StepDef switchRecords;

  private DnsCutover(StepDef approve, StepDef readRecords, StepDef switchRecords) {
    this.approve = approve;
    this.readRecords = readRecords;
    this.switchRecords = switchRecords;
  }

  /** Declares the cutover's three steps in {@code table}, in the order they run. */
  public static DnsCutover declare(
      StepTable table, String phase, String approveTitle, String switchTitle) {
    return new DnsCutover(
        table.add(gate(phase, "approve-dns-cutover", approveTitle)),
        table.add(
            check(
                    phase,
                    "read-dns-records",
                    "Record the current DNS records so they can be restored")
                .notSkippable()),
        table.add(effect(phase, "switch-dns", switchTitle, "restore the previous records")));
  }

  public StepDef approve() {
    return approve;
  }

  public StepDef readRecords() {
    return readRecords;
  }

  public StepDef switchRecords() {
    return switchRecords;
  }

  /** Waits for the gate, then points {@code dns}'s records at {@code target}. */
  public void run(Runbook runbook, DnsPlan dns, String target) {
    runbook.gate(approve);
    List<DnsName> names = dns.records().stream().map(r -> new DnsName(r.name(), r.type())).toList();
    DnsRecords previous =
        runbook.check(
            readRecords,
            CloudActivities.class,
            cloud -> cloud.readDnsRecords(new DnsQuery(dns.domain(), names)));
    DnsChange cutover =
        new DnsChange(
            dns.domain(),
            names,
            names.stream().map(n -> new DnsRecord(n.name(), n.type(), target, dns.ttl())).toList());
    DnsChange restore = new DnsChange(dns.domain(), names, previous.records());
    runbook.step(
        switchRecords,
        CloudActivities.class,
        cloud -> cloud.writeDnsRecords(cutover),
        cloud -> cloud.writeDnsRecords(restore));
  }
}
