package io.ferry.roadmap.weaviatefirst;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays saved histories against today's workflow code: a change that would break running
 * migrations fails here. When a change is intentional (and guarded by Workflow.getVersion where
 * migrations may be in flight), regenerate with {@code ./mvnw -pl workflows test
 * -Dtest=WeaviateFirstReplayTest -Dferry.recordHistories=true}.
 */
class WeaviateFirstReplayTest {

  @ParameterizedTest
  @EnumSource(HistoryFixtures.class)
  void savedHistory_replaysWithoutNondeterminism(HistoryFixtures fixture) throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/histories/" + fixture.file)) {
      assertThat(in)
          .as("history " + fixture.file + " (regenerate with -Dferry.recordHistories=true)")
          .isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    WorkflowReplayer.replayWorkflowExecution(json, WeaviateFirstWorkflowImpl.class);
  }

  @ParameterizedTest
  @EnumSource(HistoryFixtures.class)
  @EnabledIfSystemProperty(named = "ferry.recordHistories", matches = "true")
  void recordHistory(HistoryFixtures fixture) throws IOException {
    Files.writeString(fixture.source(), fixture.record(), StandardCharsets.UTF_8);
  }
}
