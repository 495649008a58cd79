package io.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.testing.Harness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanValidationTest {

  private final PlanLoader loader = new PlanLoader();

  private List<PlanProblem> problems(String text) {
    return problems(text, WeaviateFirstPlan.class);
  }

  private List<PlanProblem> problems(String text, Class<? extends Plan> type) {
    try {
      loader.load("plan.yaml", text, type);
      throw new AssertionError("the plan was accepted");
    } catch (PlanInvalidException e) {
      return e.problems();
    }
  }

  private static String example() {
    return Harness.examplePlanText(Harness.roadmap("weaviate-first"));
  }

  @Test
  void theExamplePlan_isValid_andKeepsItsDefaults() {
    WeaviateFirstPlan plan = loader.load("example", example(), WeaviateFirstPlan.class);
    assertThat(plan.workflowId()).isEqualTo("weaviate-first-orchestra-prod");
    assertThat(plan.soak()).isEqualTo(Duration.ofDays(7));
    assertThat(plan.gate("approve-dns-cutover").timeout()).isEqualTo(Duration.ofHours(24));
    assertThat(plan.thresholds().queryP95()).isEqualTo(Duration.ofMillis(150));
    assertThat(loader.roadmapOf("example", example())).isEqualTo("weaviate-first");
  }

  @Test
  void aMissingField_isNamed() {
    assertThat(
            problems(example().replace("  apiKey: env:ORG_WEAVIATE_API_KEY     # required\n", "")))
        .containsExactly(
            new PlanProblem(
                "weaviate.apiKey",
                "is required: a reference such as env:NAME or file:/run/secrets/name"));
  }

  @Test
  void aMistypedValue_isNamedWithWhatItMustBe() {
    assertThat(problems(example().replace("volumeGb: 160", "volumeGb: lots")))
        .containsExactly(new PlanProblem("vectorNode.volumeGb", "'lots' is not a number"));
    assertThat(problems(example().replace("failurePolicy: rollback", "failurePolicy: maybe")))
        .extracting(PlanProblem::field, PlanProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "failurePolicy", "'maybe' is not one of rollback, ask"));
    assertThat(problems(example().replace("soak: 7d", "soak: a week")))
        .extracting(PlanProblem::field)
        .containsExactly("soak");
  }

  @Test
  void aBucket_isCheckedTheSameWayInEveryRoadmap() {
    String weaviateFirst =
        example()
            .replace("endpoint: https://sfo2.digitaloceanspaces.com", "endpoint: sfo2 spaces")
            .replace("bucket: orchestra-backups", "bucket: Orchestra_Backups")
            .replace("prefix: weaviate-first/", "prefix: weaviate-first")
            .replace("  secretKey: env:SPACES_SECRET_KEY      # required\n  hostDir", "  hostDir");
    assertThat(problems(weaviateFirst))
        .extracting(PlanProblem::field, PlanProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "backupStore.endpoint",
                "'sfo2 spaces' is not a URL such as https://fra1.digitaloceanspaces.com"),
            org.assertj.core.groups.Tuple.tuple(
                "backupStore.bucket",
                "'Orchestra_Backups' is not a bucket name (3-63 lowercase letters, digits, . and"
                    + " -)"),
            org.assertj.core.groups.Tuple.tuple(
                "backupStore.prefix",
                "'weaviate-first' is not a key prefix ending in / such as backups/"),
            org.assertj.core.groups.Tuple.tuple(
                "backupStore.secretKey",
                "is required: a reference such as env:NAME or file:/run/secrets/name"));

    String doTransition =
        Harness.examplePlanText(Harness.roadmap("do-transition"))
            .replace("endpoint: https://fra1.digitaloceanspaces.com", "endpoint: ftp://fra1")
            .replace("prefix: paperspace/ ", "prefix: paper space/ ");
    assertThat(problems(doTransition, io.ferry.roadmap.dotransition.DoTransitionPlan.class))
        .extracting(PlanProblem::field, PlanProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "archive.endpoint",
                "'ftp://fra1' is not a URL such as https://fra1.digitaloceanspaces.com"),
            org.assertj.core.groups.Tuple.tuple(
                "archive.prefix",
                "'paper space/' is not a key prefix ending in / such as archives/"));
  }

  @Test
  void anUnknownField_isNamedWithTheKnownOnes() {
    List<PlanProblem> found = problems(example().replace("  volumeGb: 160", "  volumeGB: 160"));
    assertThat(found).extracting(PlanProblem::field).containsExactly("vectorNode.volumeGB");
    assertThat(found.get(0).message()).startsWith("is not a known field").contains("volumeGb");
  }

  @Test
  void everyProblem_isReportedAtOnce() {
    String broken =
        example()
            .replace("name: orchestra-prod", "name: Orchestra Prod")
            .replace(
                "host: 10.120.0.5               # required; name",
                "host: \"app; rm -rf /\"  # name")
            .replace("ttl: 900", "ttl: 5")
            .replace("  password: env:ORG_POSTGRES_PW", "  password: hunter2");
    List<PlanProblem> found = problems(broken);
    assertThat(found)
        .extracting(PlanProblem::field)
        .containsExactlyInAnyOrder("name", "appNode.host", "dns.ttl", "postgres.password");
    assertThat(found.toString()).doesNotContain("hunter2");
  }

  @Test
  void anUnknownGate_andAWrongRoadmap_areNamed() {
    assertThat(problems(example().replace("approve-purge:", "approve-everything:")))
        .extracting(PlanProblem::field)
        .containsExactly("gates.approve-everything");
    assertThat(problems(example().replace("roadmap: weaviate-first", "roadmap: k3s")))
        .extracting(PlanProblem::message)
        .containsExactly("is 'k3s' but this plan is for weaviate-first");
  }

  @Test
  void credentialsInAUrl_areRefusedWithoutEchoingThem() {
    List<PlanProblem> found =
        problems(
            example().replace("redis://10.120.0.9:6379/0", "redis://:s3cret@10.120.0.9:6379/0"));
    assertThat(found).extracting(PlanProblem::field).containsExactly("memoryStore.source.url");
    assertThat(found.toString()).doesNotContain("s3cret");
  }

  @Test
  void emptyAndNonMappingAndOversizedPlans_areRefused() {
    assertThatThrownBy(() -> loader.load("p", "", WeaviateFirstPlan.class))
        .hasMessageContaining("the plan is empty");
    assertThatThrownBy(() -> loader.load("p", "- a\n- b\n", WeaviateFirstPlan.class))
        .hasMessageContaining("must be a YAML mapping");
    assertThatThrownBy(() -> loader.load("p", "roadmap: [unclosed", WeaviateFirstPlan.class))
        .hasMessageContaining("is not valid YAML (line");
    assertThatThrownBy(
            () -> loader.load("p", "x".repeat(PlanLoader.MAX_BYTES + 1), WeaviateFirstPlan.class))
        .hasMessageContaining("at most " + PlanLoader.MAX_BYTES);
  }

  @Test
  void shellMetacharactersInPaths_areRefused() {
    assertThat(
            problems(
                example()
                    .replace("configFile: /opt/orchestra/.env", "configFile: /opt/$(reboot)/.env")))
        .extracting(PlanProblem::field)
        .containsExactly("app.configFile");
  }

  @Test
  void durations_readTheWayPeopleWriteThem() {
    assertThat(Durations.parse("150ms")).isEqualTo(Duration.ofMillis(150));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("PT24H")).isEqualTo(Duration.ofHours(24));
    assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThatThrownBy(() -> Durations.parse("soon"))
        .hasMessageContaining("'soon' is not a duration");
  }
}
