package io.ferry.activities.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkerFilesTest {

  private final LocalWorkerFiles files = new LocalWorkerFiles();

  @Test
  void readsAFile_andReportsAMissingOneAsEmpty(@TempDir Path dir) throws IOException {
    Path spec = Files.writeString(dir.resolve("app.yaml"), "name: x\n");

    assertThat(files.readText(spec.toString(), 1024)).contains("name: x\n");
    assertThat(files.readText(dir.resolve("none.yaml").toString(), 1024)).isEmpty();
  }

  @Test
  void refusesADirectory_aFileOverTheLimit_andARelativePath(@TempDir Path dir) throws IOException {
    Path big = Files.writeString(dir.resolve("big.yaml"), "x".repeat(2048));

    assertThat(invalid(() -> files.readText(big.toString(), 1024))).contains("larger than 1024");
    assertThat(invalid(() -> files.readText(dir.toString(), 1024))).contains("not a regular file");
    assertThat(invalid(() -> files.readText("relative.yaml", 1024)))
        .contains("not an absolute path");
  }

  private static String invalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, call);
    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    return failure.getOriginalMessage();
  }
}
