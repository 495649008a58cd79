package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.worker.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;

  static String example() throws IOException {
    try (InputStream in =
        ValidateCommandTest.class.getResourceAsStream("/plans/weaviate-first.example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void examplePlan_isOkAndNamesItsWorkflowId() throws IOException {
    Cli.Run run = Cli.offline().run("validate", "-f", write("plan.yaml", example()).toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEqualTo("plan OK: weaviate-first-orchestra-prod\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void missingField_isNamedWithExitCode3AndNoStackTrace() throws IOException {
    String plan = example().replace("name: orchestra-prod", "");

    Cli.Run run = Cli.offline().run("validate", "-f", write("plan.yaml", plan).toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INVALID_PLAN);
    assertThat(run.err()).contains("name: is required");
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void mistypedValue_namesTheFieldAndWhatItMustBe() throws IOException {
    String plan = example().replace("volumeGb: 160", "volumeGb: lots");

    Cli.Run run = Cli.offline().run("validate", "-f", write("plan.yaml", plan).toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INVALID_PLAN);
    assertThat(run.err()).contains("vectorNode.volumeGb").contains("a number");
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void unknownField_isNamed() throws IOException {
    String plan = example().replaceFirst("(?m)^region: sfo2", "region: sfo2\ncolour: blue");

    Cli.Run run = Cli.offline().run("validate", "-f", write("plan.yaml", plan).toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INVALID_PLAN);
    assertThat(run.err()).contains("colour: is not a known field");
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    String plan =
        example()
            .replace("name: orchestra-prod", "")
            .replace("volumeGb: 160", "volumeGb: lots")
            .replaceFirst("(?m)^region: sfo2", "region: sfo2\ncolour: blue");

    Cli.Run run = Cli.offline().run("validate", "-f", write("plan.yaml", plan).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_PLAN);
    assertThat(run.err()).contains("name: is required", "vectorNode.volumeGb", "colour");
  }

  @Test
  void jsonOutput_listsProblemsForScripts() throws IOException {
    String plan = example().replaceFirst("(?m)^region: sfo2", "region: sfo2\ncolour: blue");

    Cli.Run run =
        Cli.offline()
            .run("validate", "-f", write("plan.yaml", plan).toString(), "--output", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_PLAN);
    assertThat(run.out()).contains("\"valid\" : false").contains("\"field\" : \"colour\"");
  }

  @Test
  void missingFile_isAUsageErrorWithoutStackTrace() {
    Cli.Run run = Cli.offline().run("validate", "-f", dir.resolve("nope.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no plan file").doesNotContain("\tat ");
  }
}
