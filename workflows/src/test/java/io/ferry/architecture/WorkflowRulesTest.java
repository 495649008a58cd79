package io.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the {@code workflows} module deterministic and free of I/O: workflow code replays from
 * history, so it may not read clocks, randomness, threads, the network or files, and may not depend
 * on the libraries that do.
 */
class WorkflowRulesTest {

  private static JavaClasses workflows;

  @BeforeAll
  static void importMainClasses() {
    workflows =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(
                "io.ferry.runbook", "io.ferry.roadmap", "io.ferry.contract", "io.ferry.plan");
  }

  @Test
  void workflowsDependOnNoIoLibrary() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "net.schmizz..",
            "com.hierynomus..",
            "io.fabric8..",
            "java.sql..",
            "org.postgresql..",
            "io.weaviate..",
            "redis.clients..",
            "com.myjeeva..",
            "java.net.http..",
            "dev.langchain4j..",
            "io.ferry.activities..",
            "io.ferry.worker..",
            "io.ferry.cli..")
        .because("workflow code runs on replay; I/O belongs in activities")
        .check(workflows);
  }

  @Test
  void workflowCodeReadsNoClockRandomnessThreadsOrFiles() {
    DETERMINISM.check(workflows);
  }

  @Test
  void theDeterminismRule_catchesAWorkflowThatReadsTheClock() {
    JavaClasses offender = new ClassFileImporter().importClasses(ClockReadingWorkflowImpl.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DETERMINISM.check(offender))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Instant.now()")
        .hasMessageContaining("UUID.randomUUID()");
  }

  @Test
  void theDeterminismRule_coversEveryRegisteredRoadmap() {
    for (io.ferry.roadmap.Roadmap roadmap : io.ferry.roadmap.Roadmaps.all()) {
      Class<?> impl = roadmap.workflowImplementation();
      org.assertj.core.api.Assertions.assertThat(workflows.contain(impl))
          .as("%s's workflow %s is among the classes the rules check", roadmap.id(), impl)
          .isTrue();
      org.assertj.core.api.Assertions.assertThat(impl.getPackageName())
          .as("%s's workflow must live under io.ferry.roadmap, where the rules apply", roadmap.id())
          .startsWith("io.ferry.roadmap.");
      org.assertj.core.api.Assertions.assertThat(roadmap.planType().getPackageName())
          .as("%s's plan lives where the I/O rule applies", roadmap.id())
          .startsWith("io.ferry.roadmap.");
    }
    System.out.printf(
        "determinism guard: covers %d registered roadmaps: %s%n",
        io.ferry.roadmap.Roadmaps.all().size(), io.ferry.roadmap.Roadmaps.ids());
  }

  @Test
  void theDeterminismRule_catchesThreadsRandomnessAndFiles() {
    for (Class<?> offender :
        List.of(
            ThreadStartingWorkflowImpl.class,
            RandomWorkflowImpl.class,
            FileReadingWorkflowImpl.class,
            ExecutorWorkflowImpl.class)) {
      JavaClasses classes = new ClassFileImporter().importClasses(offender);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> DETERMINISM.check(classes))
          .as("the rule fires on %s", offender.getSimpleName())
          .isInstanceOf(AssertionError.class);
    }
  }

  static final class ThreadStartingWorkflowImpl {
    void run() {
      new Thread(() -> {}).start();
    }
  }

  static final class RandomWorkflowImpl {
    int pick() {
      return new java.util.Random().nextInt();
    }
  }

  static final class FileReadingWorkflowImpl {
    String read() throws java.io.IOException {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname"));
    }
  }

  static final class ExecutorWorkflowImpl {
    void run() {
      java.util.concurrent.Executors.newSingleThreadExecutor().submit(() -> {});
    }
  }

  /** A workflow written the wrong way, to prove the rule fires. */
  static final class ClockReadingWorkflowImpl {
    String stamp() {
      return java.time.Instant.now() + " " + java.util.UUID.randomUUID();
    }
  }

  private static final com.tngtech.archunit.lang.ArchRule DETERMINISM =
      noClasses()
          .that()
          .resideInAnyPackage("io.ferry.runbook..", "io.ferry.roadmap..", "io.ferry.architecture..")
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(System.class, "getenv", String.class)
          .orShould()
          .callMethod(System.class, "getenv")
          .orShould()
          .callMethod(System.class, "getProperty", String.class)
          .orShould()
          .callMethod(java.util.UUID.class, "randomUUID")
          .orShould()
          .callMethod(Thread.class, "sleep", long.class)
          .orShould()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .callMethod(java.time.LocalDate.class, "now")
          .orShould()
          .callMethod(java.time.LocalDateTime.class, "now")
          .orShould()
          .callMethod(java.time.ZonedDateTime.class, "now")
          .orShould()
          .callMethod(java.time.OffsetDateTime.class, "now")
          .orShould()
          .callMethod(java.time.Clock.class, "systemUTC")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(java.util.Random.class)
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(
              Thread.class,
              java.util.concurrent.ExecutorService.class,
              java.util.concurrent.CompletableFuture.class)
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage("java.io..", "java.nio.file..", "java.net..")
          .because(
              "workflow code must use Workflow.currentTimeMillis, Workflow.newRandom, Workflow.sleep and activities");

  @Test
  void workflowCodeKeepsNoStaticMutableState() {
    fields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAnyPackage("io.ferry.runbook..", "io.ferry.roadmap..")
        .and()
        .areStatic()
        .should()
        .haveModifier(JavaModifier.FINAL)
        .because("static mutable fields leak between workflow executions on a worker")
        .check(workflows);
  }
}
