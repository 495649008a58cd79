package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.FerryCli;
import io.ferry.roadmap.Roadmap;
import io.ferry.worker.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Broken plans generated from every roadmap's example plan ({@link PlanCorpus}), each run through
 * the CLI's {@code validate}, {@code start} and {@code rehearse}: each must exit with INVALID_PLAN
 * (3) and an error naming the field, before anything connects to Temporal or starts, and without a
 * stack trace.
 */
class HostilePlansTest {

  private static final String[][] COMMANDS = {
    {"validate", "-f"}, {"start", "-f"}, {"rehearse", "%roadmap%", "-f"}
  };
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final Map<String, Integer> BY_CATEGORY = new TreeMap<>();

  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicContainer> everyRoadmap_brokenPlans_areRejectedNamingTheField() {
    return Examples.registered().stream()
        .map(
            roadmap -> {
              List<PlanCorpus.Case> corpus = PlanCorpus.generate(Examples.planText(roadmap));
              return DynamicContainer.dynamicContainer(
                  roadmap.id() + " (" + corpus.size() + " plans)",
                  corpus.stream()
                      .map(c -> DynamicTest.dynamicTest(c.toString(), () -> reject(roadmap, c))));
            });
  }

  @AfterAll
  static void printCounts() {
    System.out.printf(
        "hostile plans: %d cases run (x%d CLI commands), %d passed; by category: %s%n",
        RUN.get(), COMMANDS.length, PASSED.get(), BY_CATEGORY);
  }

  private static void reject(Roadmap roadmap, PlanCorpus.Case c) throws IOException {
    RUN.incrementAndGet();
    synchronized (BY_CATEGORY) {
      BY_CATEGORY.merge(c.category(), 1, Integer::sum);
    }
    Path file = Files.createTempFile(dir, roadmap.id() + "-", ".yaml");
    Files.writeString(file, c.yaml(), StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    for (String[] command : COMMANDS) {
      List<String> args = new ArrayList<>();
      for (String part : command) {
        args.add(part.replace("%roadmap%", roadmap.id()));
      }
      args.add(file.toString());
      Run run = cli(args.toArray(String[]::new));
      String name = String.join(" ", args.subList(0, args.size() - 1));
      if (run.exitCode() != ExitCodes.INVALID_PLAN) {
        failures.add(name + ": exit " + run.exitCode() + "\n" + run);
      } else if (!run.err().contains(c.field())) {
        failures.add(name + ": the error does not name " + c.field() + "\n" + run);
      } else if (run.err().contains("\tat ") || run.err().contains("Exception")) {
        failures.add(name + ": a stack trace\n" + run);
      }
    }
    if (!failures.isEmpty()) {
      System.out.println("NOT REJECTED: " + c + " -> " + failures.get(0).lines().findFirst().get());
    }
    assertThat(failures).as("%s", c).isEmpty();
    PASSED.incrementAndGet();
  }

  record Run(int exitCode, String out, String err) {}

  /** The CLI as a user runs it, with a Temporal that fails the test if anything connects. */
  private static final CommandLine CLI =
      FerryCli.commandLine(
          new FerryCli(
                  (address, namespace) -> {
                    throw new AssertionError("a broken plan reached Temporal");
                  })
              .withInput(new BufferedReader(new StringReader(""))));

  /** One command line, reused (picocli resets its options before each parse): building is slow. */
  static synchronized Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = CLI;
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    try {
      int code = cmd.execute(args);
      return new Run(code, out.toString(), err.toString());
    } catch (AssertionError reachedTemporal) {
      return new Run(-1, out.toString(), reachedTemporal.getMessage());
    }
  }
}
