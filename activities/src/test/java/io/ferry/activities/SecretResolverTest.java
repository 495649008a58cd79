package io.ferry.activities;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {

  @Test
  void envReference_resolvesTheVariable() {
    SecretResolver resolver = SecretResolver.withEnvironment(Map.of("DO_TOKEN", "s3cr3t")::get);

    assertThat(resolver.resolve(SecretRef.of("env:DO_TOKEN"))).isEqualTo("s3cr3t");
  }

  @Test
  void fileReference_resolvesTheContentWithoutTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pg"), "hunter2\n");

    assertThat(SecretResolver.fromWorker().resolve(SecretRef.of("file:" + file)))
        .isEqualTo("hunter2");
  }

  @Test
  void missingVariable_failsNamingTheReference() {
    SecretResolver resolver =
        SecretResolver.withEnvironment(Map.of("OTHER", "value-not-shown")::get);

    ApplicationFailure failure =
        SimFixture.failureOf(() -> resolver.resolve(SecretRef.of("env:DO_TOKEN")));

    assertThat(failure.getOriginalMessage())
        .contains("env:DO_TOKEN")
        .doesNotContain("value-not-shown");
    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void missingFile_failsNamingTheReference(@TempDir Path dir) {
    SecretRef ref = SecretRef.of("file:" + dir.resolve("absent"));

    ApplicationFailure failure =
        SimFixture.failureOf(() -> SecretResolver.fromWorker().resolve(ref));

    assertThat(failure.getOriginalMessage()).contains(ref.ref());
  }

  @Test
  void malformedReference_failsAsInvalidInput() {
    ApplicationFailure failure =
        SimFixture.failureOf(() -> SecretResolver.fromWorker().resolve(SecretRef.of("DO_TOKEN")));

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).contains("'DO_TOKEN'");
  }

  @Test
  void standIns_resolveWithoutTheSecretBeingPresent() {
    assertThat(SecretResolver.standIns().resolve(SecretRef.of("env:NOT_SET_ANYWHERE")))
        .contains("env:NOT_SET_ANYWHERE");
  }
}
