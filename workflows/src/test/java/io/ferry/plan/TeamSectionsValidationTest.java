package io.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.testing.Harness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sections every plan shares for a team: notifications and approvals, and a gate's approval
 * policy. Each mistake names its field and says what is valid.
 */
class TeamSectionsValidationTest {

  private final PlanLoader loader = new PlanLoader();

  private static String example() {
    return Harness.examplePlanText(Harness.roadmap("weaviate-first"));
  }

  private List<PlanProblem> problems(String text) {
    try {
      loader.load("plan.yaml", text, WeaviateFirstPlan.class);
      throw new AssertionError("the plan was accepted");
    } catch (PlanInvalidException e) {
      return e.problems();
    }
  }

  @Test
  void notificationsSection_isRead_withItsDefaults() {
    WeaviateFirstPlan plan =
        loader.load(
            "plan.yaml",
            example()
                + "notifications:\n"
                + "  endpoints:\n"
                + "    - url: env:TEAM_SLACK\n"
                + "      format: slack\n"
                + "      events: [gate-opened, completed]\n"
                + "  soakEndingIn: [24h, 1h]\n",
            WeaviateFirstPlan.class);

    Notifications notify = plan.notifications();
    assertThat(notify.workerDefaults()).isTrue();
    assertThat(notify.soakEndingIn()).containsExactly(Duration.ofHours(24), Duration.ofHours(1));
    assertThat(notify.endpoints().get(0).format()).isEqualTo(NotifyEndpoint.Format.SLACK);
    assertThat(notify.endpoints().get(0).wants(NotifyEvent.COMPLETED)).isTrue();
    assertThat(notify.endpoints().get(0).wants(NotifyEvent.STEP_PARKED)).isFalse();
    assertThat(plan.approvals().onePersonTeam()).isFalse();
    assertThat(plan.gate("approve-purge").quorum()).isEqualTo(2);
  }

  @Test
  void aWebhookUrlWrittenInThePlan_isRefusedAsASecret_andAnUnknownEventIsNamed() {
    List<PlanProblem> found =
        problems(
            example()
                + "notifications:\n"
                + "  endpoints:\n"
                + "    - url: https://hooks.slack.com/services/T0/B0/secret\n"
                + "      events: [gate-opend]\n");

    assertThat(found)
        .extracting(PlanProblem::field)
        .containsExactly("notifications.endpoints[0].url", "notifications.endpoints[0].events[0]");
    assertThat(found.get(0).message()).contains("not the secret itself");
    assertThat(found.get(1).message()).contains("'gate-opend' is not one of gate-opened,");
  }

  @Test
  void aQuorumOutOfRange_andANonPositiveSoakNotice_areNamed() {
    List<PlanProblem> found =
        problems(
            example().replace("    quorum: 2 ", "    quorum: 0 ")
                + "notifications:\n"
                + "  soakEndingIn: [0s]\n");

    assertThat(found)
        .extracting(PlanProblem::field)
        .containsExactlyInAnyOrder("gates.approve-purge.quorum", "notifications.soakEndingIn[0]");
    assertThat(found)
        .filteredOn(p -> p.field().equals("gates.approve-purge.quorum"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("use a value from 1 to 9"));
  }
}
