package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.ActivityStep;
import io.ferry.runbook.StepCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private final Ledger ledger = new Ledger();

  @Test
  void differences_ofEqualSnapshots_isEmpty() {
    ledger.put(new Resource("droplet", "1001", Map.of("status", "new")));

    assertThat(Ledger.differences(ledger.snapshot(), ledger.snapshot(), false)).isEmpty();
  }

  @Test
  void differences_listCreatedChangedAndDeletedResources() {
    ledger.put(new Resource("droplet", "1001", Map.of("name", "vec-01", "status", "new")));
    ledger.put(new Resource("volume", "vol-1002", Map.of("sizeGb", "160")));
    Map<String, Resource> before = ledger.snapshot();

    ledger.put(new Resource("droplet", "1001", Map.of("name", "vec-01", "status", "active")));
    ledger.remove("volume", "vol-1002");
    ledger.put(new Resource("firewall", "fw-1003", Map.of("name", "vec-fw")));

    assertThat(Ledger.differences(before, ledger.snapshot(), false))
        .containsExactly(
            "~ droplet 1001 status new->active", "+ firewall fw-1003 vec-fw", "- volume vol-1002");
  }

  @Test
  void differences_ignoringRetained_leaveOutBackups() {
    Map<String, Resource> before = ledger.snapshot();
    ledger.put(new Resource("backup", "/var/backups/ferry/x.jsonl", Map.of("keys", "123"), true));

    assertThat(Ledger.differences(before, ledger.snapshot(), true)).isEmpty();
    assertThat(Ledger.differences(before, ledger.snapshot(), false))
        .containsExactly("+ backup /var/backups/ferry/x.jsonl keys=123 (retained)");
  }

  @Test
  void journal_recordsEachChangeWithTheCurrentStep() {
    List<LedgerChange> heard = new ArrayList<>();
    ledger.addListener(heard::add);
    StepCall step = new StepCall("create-vector-droplet", false, 1);

    ActivityStep.with(
        step,
        () -> {
          ledger.put(new Resource("droplet", "1001", Map.of("name", "vec-01", "status", "new")));
          ledger.put(new Resource("droplet", "1001", Map.of("name", "vec-01", "status", "new")));
          ledger.put(new Resource("droplet", "1001", Map.of("name", "vec-01", "status", "active")));
          return null;
        });
    ledger.remove("droplet", "1001");

    assertThat(ledger.journal())
        .extracting(LedgerChange::describe)
        .containsExactly(
            "+ droplet 1001 vec-01 status=new",
            "~ droplet 1001 status new->active",
            "- droplet 1001");
    assertThat(ledger.journal()).extracting(LedgerChange::step).containsExactly(step, step, null);
    assertThat(heard).isEqualTo(ledger.journal());
  }

  @Test
  void snapshot_isAnImmutableCopy() {
    Map<String, Resource> snapshot = ledger.snapshot();
    ledger.put(new Resource("droplet", "1001", Map.of()));

    assertThat(snapshot).isEmpty();
    assertThat(ledger.snapshot()).containsOnlyKeys("droplet/1001");
  }
}
