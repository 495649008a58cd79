package io.ferry.activities.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.Failures;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PipelinedCopyTest {

  @Test
  void rowsGoInBatchesOfTheGivenSize_andTheTotalIsReportedAfterEach() {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    List<Long> totals = new ArrayList<>();
    long rows;
    try (PipelinedCopy copy =
        new PipelinedCopy(
            3,
            batch -> {
              batches.add(batch.stream().map(r -> r.get(0)).toList());
              return batch.size();
            },
            totals::add)) {
      for (int i = 0; i < 8; i++) {
        copy.add(List.of("k" + i));
      }
      rows = copy.finish();
    }

    assertThat(rows).isEqualTo(8);
    assertThat(batches)
        .containsExactly(List.of("k0", "k1", "k2"), List.of("k3", "k4", "k5"), List.of("k6", "k7"));
    assertThat(totals).containsExactly(3L, 6L, 8L);
  }

  @Test
  void aFailedBatch_surfacesWithItsFailureType() {
    try (PipelinedCopy copy =
        new PipelinedCopy(
            2,
            batch -> {
              if (batch.get(0).get(0).equals("k2")) {
                throw Failures.precondition("duplicate key k2");
              }
              return batch.size();
            },
            total -> {})) {
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 10; i++) {
                  copy.add(List.of("k" + i));
                }
                copy.finish();
              })
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getOriginalMessage()).isEqualTo("duplicate key k2"));
    }
  }
}
