package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps;
import io.ferry.runbook.Approval;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorEntry;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.SoakStatus;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status screen: what needs a person stays in view, and every state has a next command. */
class StatusViewTest {
  static final String ID = "weaviate-first-orchestra-prod";
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final String GATE = WeaviateFirstSteps.APPROVE_DNS_CUTOVER.id();

  static RunbookStatus status(
      RunbookState state, List<GateStatus> gates, SoakStatus soak, List<OperatorEntry> log) {
    List<StepStatus> steps = WeaviateFirstSteps.ALL.stream().map(StepStatus::pending).toList();
    return new RunbookStatus(
        "weaviate-first",
        "orchestra-prod",
        ID,
        state,
        "cutover",
        GATE,
        NOW.minus(Duration.ofHours(3)),
        NOW,
        steps,
        gates,
        null,
        soak,
        null,
        log,
        null,
        null);
  }

  static GateStatus pendingGate() {
    return new GateStatus(
        GATE,
        "Approve the DNS cutover",
        "pending",
        null,
        null,
        NOW.minus(Duration.ofMinutes(42)),
        null,
        null,
        null,
        0);
  }

  static List<OperatorEntry> busyLog() {
    List<OperatorEntry> log = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      log.add(
          new OperatorEntry(
              NOW.minus(Duration.ofMinutes(60 - i)), "extend-soak", null, "bob", null, "accepted"));
    }
    log.add(new OperatorEntry(NOW, "pause", null, "alice", "wait for the release", "accepted"));
    return log;
  }

  static String render(RunbookStatus s, StatusView.Fit fit) {
    StringWriter text = new StringWriter();
    StatusView.render(s, new PrintWriter(text, true), fit);
    return text.toString();
  }

  @Test
  void atTwentyFourLines_stateGateAndPauseStayOnScreen() {
    RunbookStatus s =
        status(RunbookState.AWAITING_APPROVAL, List.of(pendingGate()), null, busyLog());

    String screen = render(s, new StatusView.Fit(24, true));

    List<String> lines = screen.lines().toList();
    assertThat(lines).hasSizeLessThanOrEqualTo(24);
    assertThat(lines.get(1)).contains("state: awaiting-approval").contains("phase: cutover");
    assertThat(screen)
        .contains("needs you: gate " + GATE + ", pending since 2026-03-02 09:18:00Z (for 42m)")
        .contains("ferry approve " + ID + " " + GATE)
        .contains("ferry reject " + ID + " " + GATE)
        .contains("pause requested")
        .contains("> " + GATE)
        .contains("more steps (a taller terminal, or ferry status " + ID + " --all)");
    assertThat(s.steps()).hasSizeGreaterThan(24);
  }

  @Test
  void withoutALimit_everyStepAndTheLogAreShown() {
    RunbookStatus s =
        status(RunbookState.AWAITING_APPROVAL, List.of(pendingGate()), null, busyLog());

    String screen = render(s, StatusView.Fit.EVERYTHING);

    assertThat(screen)
        .contains("steps (" + s.steps().size() + "):")
        .contains("operator log (last 8):");
    s.steps().forEach(step -> assertThat(screen).contains(step.id()));
  }

  @Test
  void byDefault_onlyTheCurrentPhasesStepsAndHowToSeeTheRest() {
    RunbookStatus s = status(RunbookState.RUNNING, List.of(), null, List.of());

    String screen = render(s, new StatusView.Fit(0, false));

    assertThat(screen)
        .contains("steps of phase cutover (")
        .contains("ferry status " + ID + " --all");
    s.steps().stream()
        .filter(step -> !step.phase().equals("cutover"))
        .forEach(step -> assertThat(screen).doesNotContain(" " + step.id() + " "));
  }

  @Test
  void paused_saysHowToResume() {
    String screen =
        render(status(RunbookState.PAUSED, List.of(), null, List.of()), StatusView.Fit.EVERYTHING);

    assertThat(screen).contains("paused by an operator: ferry resume " + ID);
  }

  @Test
  void running_namesTheNextCommands() {
    String screen =
        render(status(RunbookState.RUNNING, List.of(), null, List.of()), StatusView.Fit.EVERYTHING);

    assertThat(screen).contains("nothing needs you now: ferry status " + ID + " --watch");
  }

  @Test
  void soak_showsHowLongUntilWhenAndHowFarAlong() {
    SoakStatus soak =
        new SoakStatus(
            "soak",
            NOW.minus(Duration.ofHours(26)),
            NOW.plus(Duration.ofDays(6)).minus(Duration.ofHours(2)));

    String screen =
        render(status(RunbookState.SOAKING, List.of(), soak, List.of()), StatusView.Fit.EVERYTHING);

    assertThat(screen)
        .contains("soaking (step soak) since 2026-03-01 08:00:00Z until 2026-03-08 08:00:00Z")
        .contains("1d 2h of 7d done, 5d 22h left")
        .contains("ferry extend-soak " + ID + " 2d   |   ferry end-soak " + ID)
        .doesNotContain("soak soak");
  }

  @Test
  void pendingStepsWithAnUndo_doNotSayNone() {
    RunbookStatus s = status(RunbookState.RUNNING, List.of(), null, List.of());
    StepStatus effect =
        s.steps().stream().filter(step -> step.kind() == StepKind.EFFECT).findFirst().orElseThrow();

    String line =
        render(s, StatusView.Fit.EVERYTHING)
            .lines()
            .filter(l -> l.contains(" " + effect.id() + " "))
            .findFirst()
            .orElseThrow();

    assertThat(line).contains("when it runs").doesNotContain("none");
  }

  @Test
  void gateWithQuorum_showsHowManyApprovalsItHasWhoGaveThemAndAsksForAComment() {
    GateStatus half =
        new GateStatus(
            GATE,
            "Approve the DNS cutover",
            "pending",
            null,
            null,
            NOW.minus(Duration.ofMinutes(42)),
            null,
            null,
            null,
            0,
            2,
            List.of(new Approval("ivy@ops", NOW.minus(Duration.ofMinutes(5)), "backups checked")),
            "2 distinct approvers, a comment");
    RunbookStatus s = status(RunbookState.AWAITING_APPROVAL, List.of(half), null, List.of());

    String screen = render(s, new StatusView.Fit(40, true));

    assertThat(screen)
        .contains("1 of 2 approvals; it needs 2 distinct approvers, a comment")
        .contains("approved by ivy@ops at ")
        .contains(": backups checked")
        .contains("ferry approve " + ID + " " + GATE + " -m \"why\"");
  }
}
