package io.ferry.activities.roadmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.roadmap.appplatform.AppPlatformWorkflowImpl;
import io.ferry.runbook.RunbookState;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays saved app-platform histories against today's workflow code: a change that would break
 * running migrations fails here. Regenerate after an intentional change with {@code ./mvnw -pl
 * workflows,activities test -Dtest=AppPlatformReplayTest -Dferry.recordHistories=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AppPlatformReplayTest {

  /** The paths through app-platform whose histories are kept. */
  enum Fixture {
    HAPPY_PATH("app-platform-happy-path.json", false),
    /** The monitor window's probes fail: timers, the spent budget and every compensation. */
    MONITOR_ROLLBACK("app-platform-monitor-rollback.json", true);

    final String file;
    final boolean failingProbes;

    Fixture(String file, boolean failingProbes) {
      this.file = file;
      this.failingProbes = failingProbes;
    }

    String record() {
      try (SimRun run = new SimRun(FaultPlan.none())) {
        if (failingProbes) {
          run.fleet.setStatus("https://www.lightclick.example.com", 503);
        }
        run.started();
        RunbookState end = run.driveToEnd().state();
        assertThat(end)
            .isEqualTo(failingProbes ? RunbookState.ROLLED_BACK : RunbookState.COMPLETED);
        return run.history();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fixture.class)
  void savedHistory_replaysWithoutNondeterminism(Fixture fixture) throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/histories/" + fixture.file)) {
      assertThat(in)
          .as("history " + fixture.file + " (regenerate with -Dferry.recordHistories=true)")
          .isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    WorkflowReplayer.replayWorkflowExecution(json, AppPlatformWorkflowImpl.class);
  }

  @ParameterizedTest
  @EnumSource(Fixture.class)
  @EnabledIfSystemProperty(named = "ferry.recordHistories", matches = "true")
  void recordHistory(Fixture fixture) throws IOException {
    Path target = Path.of("src/test/resources/histories", fixture.file);
    Files.createDirectories(target.getParent());
    Files.writeString(target, fixture.record(), StandardCharsets.UTF_8);
  }
}
