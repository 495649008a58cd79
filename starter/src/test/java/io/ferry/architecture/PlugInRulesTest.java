package io.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A roadmap is a plug-in: the generic code (the CLI, the worker, the fleets and their activities)
 * knows roadmaps only through the registry, so adding one never threads through it. Only a
 * roadmap's own package and its simulated seed ({@code io.ferry.activities.sim.seeds}) may name it.
 */
class PlugInRulesTest {

  /** Where roadmap-specific code may live outside the workflows module. */
  private static final String SEEDS = "io.ferry.activities.sim.seeds..";

  private static final List<Path> GENERIC_SOURCES =
      List.of(
          Path.of("../activities/src/main/java/io/ferry/activities"),
          Path.of("../worker/src/main/java/io/ferry/worker"),
          Path.of("src/main/java/io/ferry/cli"));

  private static JavaClasses generic;

  @BeforeAll
  static void importGenericClasses() {
    generic =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the activities' test jar (shared with the lab) holds their tests, not generic code
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.ferry.cli", "io.ferry.worker", "io.ferry.activities");
  }

  static final DescribedPredicate<JavaClass> A_ROADMAPS_OWN_CLASS =
      DescribedPredicate.describe(
          "a class of one roadmap's package (io.ferry.roadmap.<name>)",
          c ->
              c.getPackageName().startsWith("io.ferry.roadmap.")
                  && !c.getPackageName().startsWith("io.ferry.roadmap.common"));

  static final ArchCondition<JavaClass> TEST_FOR_A_PLAN_TYPE =
      new ArchCondition<>("test whether a plan is of one roadmap's type (instanceof)") {
        @Override
        public void check(JavaClass item, ConditionEvents events) {
          item.getInstanceofChecks().stream()
              .filter(
                  check ->
                      check.getRawType().isAssignableTo(Plan.class)
                          && !check.getRawType().isEquivalentTo(Plan.class))
              .forEach(
                  check ->
                      events.add(
                          SimpleConditionEvent.violated(
                              item,
                              item.getName()
                                  + " tests instanceof "
                                  + check.getRawType().getName()
                                  + " (line "
                                  + check.getLineNumber()
                                  + ")")));
        }
      };

  static final ArchRule GENERIC_CODE_NAMES_NO_ROADMAP =
      noClasses()
          .that()
          .resideInAnyPackage("io.ferry.cli..", "io.ferry.worker..", "io.ferry.activities..")
          .and()
          .resideOutsideOfPackage(SEEDS)
          .should()
          .dependOnClassesThat(A_ROADMAPS_OWN_CLASS)
          .orShould(TEST_FOR_A_PLAN_TYPE)
          .because(
              "a roadmap is added by registering it, not by threading it through the CLI,"
                  + " the worker or the fleets (find it with Roadmaps, seed it with SimSeeds)");

  @Test
  void genericCode_dependsOnNoRoadmapsOwnClassAndTestsNoPlanType() {
    GENERIC_CODE_NAMES_NO_ROADMAP.check(generic);
  }

  @Test
  void theRule_catchesGenericCodeThatPicksARoadmapByPlanType() {
    JavaClasses offender = new ClassFileImporter().importClasses(PlanSniffingFleet.class);
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat(A_ROADMAPS_OWN_CLASS)
            .orShould(TEST_FOR_A_PLAN_TYPE);
    assertThatThrownBy(() -> rule.check(offender))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("WeaviateFirstPlan");
  }

  @Test
  void genericSources_nameNoRoadmapId() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path root : GENERIC_SOURCES) {
      assertThat(root).as("generic source root %s", root).isDirectory();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          if (file.toString().contains("/sim/seeds/")) {
            continue;
          }
          String text = Files.readString(file);
          for (Roadmap roadmap : Roadmaps.all()) {
            if (text.contains("\"" + roadmap.id()) || text.contains(" " + roadmap.id() + " ")) {
              found.add(file + " names " + roadmap.id());
            }
          }
        }
      }
    }
    assertThat(found).as("roadmap ids written into generic code").isEmpty();
  }

  /** Generic code written the wrong way, to prove the rule fires. */
  static final class PlanSniffingFleet {
    String seed(Plan plan) {
      return plan instanceof io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan ? "weaviate" : "";
    }
  }
}
