package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.host.CronActivitiesImpl;
import io.ferry.contract.CronActivities.CronDisable;
import io.ferry.contract.CronActivities.CronRestore;
import io.ferry.plan.SshTarget;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimCrontabTest {

  private static final SshTarget HOST =
      new SshTarget("10.0.0.1", 22, "root", null, null, null, null, false);

  @Test
  void disableThenRestore_leavesTheLedgerAsItWas_andAMalformedTableIsRefused() {
    SimWorld world = new SimWorld();
    world.seedCrontab(HOST, "aurora", "0 3 * * * /opt/backup.sh\n*/5 * * * * /opt/sync.sh\n");
    Map<String, Resource> start = world.ledger.snapshot();
    CronActivitiesImpl cron = new CronActivitiesImpl(world.crontab);

    cron.disableCronEntries(new CronDisable(HOST, "aurora", List.of("backup.sh"), "k"));
    assertThat(world.ledger.snapshot().get("crontab/10.0.0.1:aurora").attributes())
        .containsEntry("active", "1");
    cron.restoreCronEntries(new CronRestore(HOST, "aurora", "k"));

    assertThat(Ledger.differences(start, world.ledger.snapshot(), true)).isEmpty();
    assertThatThrownBy(() -> world.crontab.replaceCrontab(HOST, "aurora", "0 3 backup.sh\n"))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("bad minute");
  }
}
