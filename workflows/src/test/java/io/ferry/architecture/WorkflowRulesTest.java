package io.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
                "io.ferry.runbook", "io.ferry.roadmap", "io.ferry.activity", "io.ferry.plan");
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
