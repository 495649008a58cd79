package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.StepScopeInterceptor;
import io.ferry.contract.CloudActivities;
import io.ferry.contract.DataActivities;
import io.ferry.contract.HostActivities;
import io.ferry.contract.ProbeActivities;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedFleetTest {

  private final WeaviateFirstPlan plan = SimFixture.examplePlan();

  @Test
  void fleet_implementsEveryActivityInterfaceAndAttributesSteps() {
    SimulatedFleet fleet = new SimulatedFleet();

    assertThat(fleet.name()).isEqualTo("simulated");
    assertThat(fleet.activityImplementations())
        .hasAtLeastOneElementOfType(CloudActivities.class)
        .hasAtLeastOneElementOfType(HostActivities.class)
        .hasAtLeastOneElementOfType(DataActivities.class)
        .hasAtLeastOneElementOfType(ProbeActivities.class);
    assertThat(fleet.interceptors()).hasAtLeastOneElementOfType(StepScopeInterceptor.class);
  }

  @Test
  void seed_createsTheWorldThePlanRefersTo() {
    SimulatedFleet fleet = new SimulatedFleet();

    fleet.seed(plan);

    Map<String, Resource> world = fleet.ledger().snapshot();
    assertThat(world)
        .containsKeys(
            "file/10.120.0.5:/opt/orchestra/.env",
            "service/10.120.0.5:orchestra-api",
            "database/10.120.0.5:5432/postgres",
            "dns-record/api.orchestra.example.com/A/5001",
            "dns-record/admin.orchestra.example.com/A/5002");
    assertThat(world.get("memory-store/redis://10.120.0.9:6379/0").attributes())
        .containsEntry("keys", "368")
        .containsEntry("keys.memory", "303")
        .containsEntry("keys.billing", "40")
        .containsEntry("keys.job", "25");
    assertThat(world.get("dns-record/api.orchestra.example.com/A/5001").attributes())
        .containsEntry("data", "203.0.113.10")
        .containsEntry("ttl", "3600");
  }

  @Test
  void seed_withAStricterMalformedLimit_addsItemsSoTheThreeMalformedStayWithinIt() {
    assertThat(SimMemoryStore.itemsWithin(0.01)).isEqualTo(300);
    assertThat(SimMemoryStore.itemsWithin(0.001)).isEqualTo(3000);
    assertThat(SimMemoryStore.itemsWithin(0.5)).isEqualTo(300);
  }

  @Test
  void seed_twice_changesNothing() {
    SimulatedFleet fleet = new SimulatedFleet();
    fleet.seed(plan);
    Map<String, Resource> once = fleet.ledger().snapshot();
    int changes = fleet.ledger().journal().size();

    fleet.seed(plan);

    assertThat(fleet.ledger().snapshot()).isEqualTo(once);
    assertThat(fleet.ledger().journal()).hasSize(changes);
  }

  @Test
  void twoFleets_fromTheSamePlan_areIdentical() {
    SimulatedFleet a = new SimulatedFleet();
    SimulatedFleet b = new SimulatedFleet();

    a.seed(plan);
    b.seed(plan);

    assertThat(Ledger.differences(a.ledger().snapshot(), b.ledger().snapshot(), false)).isEmpty();
  }
}
