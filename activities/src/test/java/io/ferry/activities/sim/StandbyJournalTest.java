package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.contract.ReplicationActivities;
import io.ferry.contract.ReplicationActivities.Replica;
import io.ferry.contract.ReplicationActivities.Replicas;
import io.ferry.contract.ReplicationActivities.Slots;
import io.ferry.roadmap.Roadmaps;
import io.ferry.roadmap.standardnode.StandardNodePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal of a rehearsal's port calls is a file on disk: no secret value may be in it. */
class StandbyJournalTest {

  private static final String PASSWORD = "replica-pw-Zq7-never-on-disk";

  @TempDir Path dir;

  @Test
  void bootstrappingReplicas_journalsThePasswordReference_neverItsValue() throws Exception {
    StandardNodePlan plan =
        (StandardNodePlan) SimSeedsTest.examplePlan(Roadmaps.require("standard-node"));
    Path file = dir.resolve("journal");
    try (PortJournal journal = PortJournal.at(file)) {
      SimulatedFleet fleet =
          new SimulatedFleet(
              FaultPlan.none(), SecretResolver.withEnvironment(name -> PASSWORD), journal);
      fleet.seed(plan);
      fleet.resume();
      ReplicationActivities replication =
          fleet.activityImplementations().stream()
              .filter(ReplicationActivities.class::isInstance)
              .map(ReplicationActivities.class::cast)
              .findFirst()
              .orElseThrow();
      Replicas replicas = replicas(plan);

      replication.checkReplicaLogins(replicas);
      replication.createSlots(
          new Slots(plan.primary(), replicas.replicas().stream().map(Replica::slot).toList()));
      replication.bootstrapReplicas(replicas);
    }

    String journaled = Files.readString(file);
    assertThat(journaled)
        .contains("bootstrap")
        .contains("checkReplicationLogin")
        .contains(plan.replication().password().ref())
        .doesNotContain(PASSWORD);
    // the reference replays: a new process arrives at the same standbys
    try (PortJournal journal = PortJournal.at(file)) {
      SimulatedFleet resumed =
          new SimulatedFleet(
              FaultPlan.none(), SecretResolver.withEnvironment(name -> PASSWORD), journal);
      resumed.seed(plan);
      resumed.resume();
      assertThat(resumed.ledger().snapshot().keySet())
          .contains("standby/10.0.0.2:/var/lib/postgresql/15/standby");
    }
  }

  private static Replicas replicas(StandardNodePlan plan) {
    StandardNodePlan.Replication r = plan.replication();
    List<Replica> list =
        r.replicas().stream()
            .map(
                x ->
                    new Replica(
                        x.name(),
                        x.host(),
                        x.addressOrHost(),
                        x.binDir(),
                        x.dataDir(),
                        x.port(),
                        x.slotName(),
                        x.osUser()))
            .toList();
    return new Replicas(plan.primary(), r.user(), r.password(), list);
  }
}
