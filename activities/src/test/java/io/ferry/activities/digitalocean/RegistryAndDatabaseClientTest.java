package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.digitalocean.DatabaseClient.Backup;
import io.ferry.activities.digitalocean.DatabaseClient.DatabaseCluster;
import io.ferry.activities.digitalocean.RegistryClient.Registry;
import io.ferry.activities.digitalocean.RegistryClient.Repository;
import io.ferry.activities.digitalocean.RegistryClient.Tag;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Container Registry and managed databases through the typed client, against the fake DO. */
class RegistryAndDatabaseClientTest {

  private final DoFixture f = new DoFixture();
  private final RegistryClient registry = new RegistryClient(f.api);
  private final DatabaseClient databases = new DatabaseClient(f.api);

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  @Test
  void registry_withoutOne_isEmpty() {
    assertThat(registry.registry()).isEmpty();
  }

  @Test
  void registry_repositoriesAndTags_showWhatWasPushed() {
    f.fake.seedRegistry(
        "orchestra", Map.of("backend", List.of("v2.3", "v2.4"), "frontend", List.of("v2.4")));

    Registry r = registry.registry().orElseThrow();
    List<Repository> repositories = registry.repositories(r.name());
    List<Tag> tags = registry.tags(r.name(), "backend");

    assertThat(r.name()).isEqualTo("orchestra");
    assertThat(r.serverUrl()).isEqualTo("registry.digitalocean.com");
    assertThat(repositories)
        .extracting(Repository::name)
        .containsExactlyInAnyOrder("backend", "frontend");
    assertThat(tags).extracting(Tag::tag).containsExactly("v2.3", "v2.4");
    assertThat(tags.get(0).manifestDigest()).startsWith("sha256:");
    assertThat(registry.tag(r.name(), "frontend", "v2.4")).isPresent();
    assertThat(registry.tag(r.name(), "frontend", "v2.5")).isEmpty();
  }

  @Test
  void databases_clusterAndItsBackups_withoutThePassword() {
    String id = f.fake.seedDatabase("orchestra-pg", "pg", 3);

    DatabaseCluster cluster = databases.findCluster("orchestra-pg").orElseThrow();
    List<Backup> backups = databases.backups(id);

    assertThat(cluster.id()).isEqualTo(id);
    assertThat(cluster.engine()).isEqualTo("pg");
    assertThat(cluster.status()).isEqualTo("online");
    assertThat(cluster.port()).isEqualTo(25060);
    assertThat(cluster.privateHost()).startsWith("private-orchestra-pg");
    assertThat(cluster.toString()).doesNotContain("secret-password");
    assertThat(databases.cluster(id)).contains(cluster);
    assertThat(backups).hasSize(3);
    assertThat(backups.get(2).createdAt()).isEqualTo("2026-11-12T02:00:00Z");
  }

  @Test
  void databases_unknownCluster_isEmpty() {
    assertThat(databases.cluster("9cc10173-e9ea-4176-9dbc-a4cee4c4ff30")).isEmpty();
  }
}
