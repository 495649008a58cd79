package io.ferry.activities.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.port.DeployRepositoryPort.Tarball;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshDeployRepository} against a real SSH server and this machine's find, tar and sha256sum,
 * on a repository laid out as the seed's: compose files, deploy scripts, obsolete leftovers.
 */
class SshDeployRepositoryTest {

  private static final String MANIFEST = "archive/legacy-deployments/.ferry-moved-k.txt";

  @TempDir Path dir;
  private TestSshServer server;
  private SshSessions ssh;
  private SshDeployRepository repository;
  private Path repo;

  @BeforeEach
  void start() throws Exception {
    server = new TestSshServer(dir, true);
    ssh = new SshSessions(server.secrets());
    repository = new SshDeployRepository(ssh);
    repo = Files.createDirectories(dir.resolve("sophia main"));
    for (String f :
        List.of(
            "docker-compose.yml",
            "docker-compose.prod.yml",
            "scripts/deploy_api.sh",
            "scripts/deploy_old.py",
            "scripts/keep.sh",
            "config.old",
            "backend/app.py.backup",
            "docs/deploy_deprecated.md",
            "README.md")) {
      Path p = repo.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "content of " + f + "\n");
    }
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    server.close();
  }

  @Test
  void archive_tarsTheIncludedFilesMinusTheExcluded_withAChecksumOfTheTarball_andKeepsIt()
      throws Exception {
    Tarball tarball =
        repository.archive(
            server.target(),
            repo.toString(),
            List.of("docker-compose*.yml", "scripts/deploy_*"),
            List.of("scripts/deploy_old.py"),
            "archive/deployment-archive-20261130.tar.gz");
    Path file = repo.resolve("archive/deployment-archive-20261130.tar.gz");
    byte[] written = Files.readAllBytes(file);

    assertThat(tarball.files()).isEqualTo(3);
    assertThat(tarball.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written)));
    // a retry finds the tarball and keeps it byte for byte
    Tarball again =
        repository.archive(
            server.target(),
            repo.toString(),
            List.of("docker-compose*.yml"),
            List.of(),
            "archive/deployment-archive-20261130.tar.gz");
    assertThat(again.sha256()).isEqualTo(tarball.sha256());
    assertThat(Files.readAllBytes(file)).isEqualTo(written);
  }

  @Test
  void obsoleteFiles_moveAsideOnce_andMoveBackToWhereTheyWere() throws Exception {
    List<String> moved =
        repository.moveAside(
            server.target(),
            repo.toString(),
            List.of("*.backup", "*.old", "*_deprecated*"),
            "archive/legacy-deployments",
            MANIFEST);

    assertThat(moved).hasSize(3);
    assertThat(repo.resolve("config.old")).doesNotExist();
    assertThat(repo.resolve("archive/legacy-deployments/app.py.backup")).exists();
    assertThat(repo.resolve("archive/legacy-deployments/deploy_deprecated.md")).exists();
    assertThat(repository.moved(server.target(), repo.toString(), MANIFEST)).contains(moved);
    // a retry finds the manifest and moves nothing more
    assertThat(
            repository.moveAside(
                server.target(),
                repo.toString(),
                List.of("*.backup", "*.old", "*_deprecated*"),
                "archive/legacy-deployments",
                MANIFEST))
        .isEqualTo(moved);

    List<String> back = repository.moveBack(server.target(), repo.toString(), MANIFEST);

    assertThat(back)
        .containsExactlyInAnyOrder(
            "config.old", "backend/app.py.backup", "docs/deploy_deprecated.md");
    assertThat(Files.readString(repo.resolve("backend/app.py.backup")))
        .isEqualTo("content of backend/app.py.backup\n");
    assertThat(repository.moved(server.target(), repo.toString(), MANIFEST))
        .isEqualTo(Optional.empty());
    assertThat(repo.resolve("archive/legacy-deployments")).as("made by the move").doesNotExist();
    assertThat(repository.moveBack(server.target(), repo.toString(), MANIFEST)).isEmpty();
  }

  @Test
  void decommission_countsTheRoot_movesComposeFilesInto_theArchive_andWritesTheMarker()
      throws Exception {
    assertThat(repository.rootFiles(server.target(), repo.toString())).isEqualTo(4);

    List<String> archived =
        repository.moveInto(
            server.target(),
            repo.toString(),
            List.of("docker-compose*.yml"),
            "archive/docker-swarm-legacy");
    repository.writeFile(
        server.target(), repo.toString(), "MIGRATION_COMPLETE.md", "# Migrated to K3s\n");

    assertThat(archived).hasSize(2);
    assertThat(repo.resolve("archive/docker-swarm-legacy/docker-compose.prod.yml")).exists();
    assertThat(Files.readString(repo.resolve("MIGRATION_COMPLETE.md")))
        .isEqualTo("# Migrated to K3s\n");
    assertThat(repository.rootFiles(server.target(), repo.toString())).isEqualTo(3);
  }

  @Test
  void aGlobLeavingTheRepository_isRefusedBeforeAnythingRuns() {
    int before = server.commandsRun();

    assertThatThrownBy(
            () ->
                repository.moveInto(
                    server.target(), repo.toString(), List.of("../etc/*"), "archive/x"))
        .hasMessageContaining("../etc/*");
    assertThat(server.commandsRun()).isEqualTo(before);
  }
}
