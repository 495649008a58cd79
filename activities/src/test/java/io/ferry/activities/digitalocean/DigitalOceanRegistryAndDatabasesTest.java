package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.port.ContainerRegistryPort.ImageTag;
import io.ferry.activities.port.ContainerRegistryPort.RegistryInfo;
import io.ferry.activities.port.ManagedDatabasePort.BackupInfo;
import io.ferry.activities.port.ManagedDatabasePort.ClusterInfo;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DigitalOceanRegistry} and {@link DigitalOceanDatabases} against the fake DO. */
class DigitalOceanRegistryAndDatabasesTest {

  private final DoFixture f = new DoFixture();
  private final DigitalOceanRegistry registry = new DigitalOceanRegistry(new RegistryClient(f.api));
  private final DigitalOceanDatabases databases =
      new DigitalOceanDatabases(new DatabaseClient(f.api));

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  @Test
  void registry_isEmptyWithoutOne_andShowsTheAccountsOtherwise() {
    assertThat(registry.registry()).isEmpty();

    f.fake.seedRegistry("orchestra", Map.of("backend", List.of("v2.3")));

    assertThat(registry.registry()).contains(new RegistryInfo("orchestra", "fra1", 123456789));
  }

  @Test
  void tag_findsAPushedTag_acrossPages_andIsEmptyForAMissingTagOrRepository() {
    f.fake.seedRegistry(
        "orchestra",
        Map.of(
            "team/backend", List.of("v2.1", "v2.2", "v2.3", "v2.4", "v2.5"),
            "frontend", List.of("v2.4")));
    f.fake.maxPerPage(2);

    ImageTag found = registry.tag("orchestra", "team/backend", "v2.5").orElseThrow();

    assertThat(found.repository()).isEqualTo("team/backend");
    assertThat(found.tag()).isEqualTo("v2.5");
    assertThat(found.digest()).startsWith("sha256:");
    assertThat(found.sizeBytes()).isEqualTo(2000);
    assertThat(found.updatedAt()).isEqualTo(Instant.parse("2026-11-20T03:04:05Z"));
    assertThat(registry.tag("orchestra", "team/backend", "v9")).isEmpty();
    assertThat(registry.tag("orchestra", "never-pushed", "v2.4")).isEmpty();
    assertThat(f.fake.requests())
        .anyMatch(r -> r.startsWith("GET /v2/registry/orchestra/repositories/team%2Fbackend/tags"))
        .anyMatch(r -> r.contains("/tags?") && r.contains("page=3"));
  }

  @Test
  void deleteTag_removesIt_andIsFalseWhenItWasNotThere() {
    f.fake.seedRegistry(
        "orchestra", Map.of("team/backend", new java.util.ArrayList<>(List.of("v2.3", "v2.4"))));

    assertThat(registry.deleteTag("orchestra", "team/backend", "v2.4")).isTrue();
    assertThat(registry.deleteTag("orchestra", "team/backend", "v2.4")).isFalse();
    assertThat(registry.deleteTag("orchestra", "never-pushed", "v2.4")).isFalse();
    assertThat(f.fake.registryTags("team/backend")).containsExactly("v2.3");
    assertThat(f.fake.requests())
        .contains("DELETE /v2/registry/orchestra/repositories/team%2Fbackend/tags/v2.4");
  }

  @Test
  void cluster_isShownWithoutItsPassword_andAnUnknownOneIsEmpty() {
    String id = f.fake.seedDatabase("orchestra-db", "pg", 0);

    assertThat(databases.cluster(id))
        .contains(new ClusterInfo(id, "orchestra-db", "pg", "16", "online"));
    assertThat(databases.cluster("00000000-0000-4000-8000-000000000000")).isEmpty();
  }

  @Test
  void backups_areNewestFirst_emptyWhenNoneYet_andAnUnknownClusterIsNotFound() {
    String withBackups = f.fake.seedDatabase("orchestra-db", "pg", 3);
    String fresh = f.fake.seedDatabase("orchestra-cache", "valkey", 0);

    List<BackupInfo> backups = databases.backups(withBackups);
    ApplicationFailure unknown =
        SimFixture.failureOf(() -> databases.backups("00000000-0000-4000-8000-000000000000"));

    assertThat(backups)
        .extracting(BackupInfo::createdAt)
        .containsExactly(
            Instant.parse("2026-11-12T02:00:00Z"),
            Instant.parse("2026-11-11T02:00:00Z"),
            Instant.parse("2026-11-10T02:00:00Z"));
    assertThat(backups.get(0).sizeGigabytes()).isEqualTo(2.25);
    assertThat(databases.backups(fresh)).isEmpty();
    assertThat(unknown.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(unknown.isNonRetryable()).isTrue();
  }
}
