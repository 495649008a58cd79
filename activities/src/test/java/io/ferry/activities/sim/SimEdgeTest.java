package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.Polling;
import io.ferry.activities.edge.EdgeActivitiesImpl;
import io.ferry.activities.probe.PublicRequests;
import io.ferry.contract.EdgeActivities.EdgeHost;
import io.ferry.contract.EdgeActivities.EdgeRestore;
import io.ferry.contract.EdgeActivities.EdgeRoutes;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.plan.SshTarget;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimEdgeTest {

  private static final SshTarget HOST =
      new SshTarget("10.0.0.1", 22, "root", null, null, null, null, false);
  private static final EdgeHost EDGE =
      new EdgeHost(HOST, "/etc/nginx/sites-enabled/aurora.conf", null);
  private static final EdgeSite SITE =
      new EdgeSite(
          "aurora",
          80,
          List.of("aurora.example.com"),
          "/var/www/aurora",
          "/api",
          "127.0.0.1:8000",
          "127.0.0.1:8003",
          null);

  @Test
  void routeThenRestore_putsBackTheSiteThatWasThere_andARefusedTestChangesNothing() {
    SimWorld world = new SimWorld();
    world.edge.installSite(EDGE, "server { listen 80; }\n");
    Map<String, Resource> start = world.ledger.snapshot();
    EdgeActivitiesImpl edge =
        new EdgeActivitiesImpl(
            world.edge, world.hostFiles, new PublicRequests(world.http, Polling.SIMULATED));

    edge.routeTraffic(new EdgeRoutes(EDGE, SITE, false, 25, "k"));
    assertThat(world.edge.readSite(EDGE).orElseThrow()).contains("weight=25");
    world.refuseEdgeConfig("10.0.0.1", "nginx: [emerg] duplicate upstream \"x\"");
    assertThatThrownBy(() -> edge.routeTraffic(new EdgeRoutes(EDGE, SITE, false, 50, "k")))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("duplicate upstream");
    assertThat(world.edge.readSite(EDGE).orElseThrow()).contains("weight=25");
    world.refuseEdgeConfig("10.0.0.1", null);
    edge.restoreEdge(new EdgeRestore(EDGE, "k"));

    assertThat(Ledger.differences(start, world.ledger.snapshot(), true)).isEmpty();
  }
}
