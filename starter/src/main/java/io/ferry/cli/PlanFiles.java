package io.ferry.cli;

import io.ferry.plan.Plan;
import io.ferry.plan.PlanInvalidException;
import io.ferry.plan.PlanLoader;
import io.ferry.plan.PlanProblem;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.worker.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads plan files (or a roadmap's example plan) and validates them. */
final class PlanFiles {

  /** A validated plan and the roadmap it is for. */
  record Loaded(Roadmap roadmap, Plan plan, String source) {}

  private PlanFiles() {}

  static Loaded load(Path file) {
    String source = file.toString();
    String text;
    try {
      if (Files.size(file) > PlanLoader.MAX_BYTES) {
        throw new PlanInvalidException(
            source,
            List.of(
                new PlanProblem(
                    "",
                    "the file is larger than " + PlanLoader.MAX_BYTES + " bytes; is it a plan?")));
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCodes.USAGE, "no plan file " + source);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "cannot read plan file " + source + ": " + e);
    }
    return parse(source, text);
  }

  /** The roadmap's documented example plan, shipped in the jar. */
  static Loaded example(Roadmap roadmap) {
    try (InputStream in = Roadmap.class.getResourceAsStream(roadmap.examplePlan())) {
      if (in == null) {
        throw new CliFailure(
            ExitCodes.SOFTWARE,
            "the example plan " + roadmap.examplePlan() + " is missing from the classpath");
      }
      // the resource path looks absolute; say what it is, and where the same file is in a clone
      return parse(
          "the built-in example plan (" + roadmap.examplePlan().substring(1) + ")",
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.SOFTWARE, "cannot read " + roadmap.examplePlan() + ": " + e);
    }
  }

  static Loaded parse(String source, String text) {
    PlanLoader loader = new PlanLoader();
    String roadmapId = loader.roadmapOf(source, text);
    Roadmap roadmap =
        Roadmaps.byId(roadmapId)
            .orElseThrow(
                () ->
                    new PlanInvalidException(
                        source,
                        List.of(
                            new PlanProblem(
                                "roadmap",
                                "'"
                                    + roadmapId
                                    + "' is not a roadmap; known roadmaps: "
                                    + Roadmaps.ids()))));
    Plan plan = loader.load(source, text, roadmap.planType());
    return new Loaded(roadmap, plan, source);
  }
}
