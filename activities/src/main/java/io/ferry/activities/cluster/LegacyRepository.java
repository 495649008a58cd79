package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.DeployRepositoryPort;
import io.ferry.activities.port.DeployRepositoryPort.Tarball;
import io.ferry.contract.K3sActivities.Decommissioned;
import io.ferry.contract.K3sActivities.LegacyArchive;
import io.ferry.contract.K3sActivities.LegacyFiles;
import io.ferry.contract.K3sActivities.RootCount;
import io.ferry.contract.K3sActivities.SwarmDecommission;
import java.util.ArrayList;
import java.util.List;

/** The deployment repository and the Swarm: legacy files archived and moved aside, the end. */
final class LegacyRepository {

  private final ClusterPorts ports;

  LegacyRepository(ClusterPorts ports) {
    this.ports = ports;
  }

  LegacyArchive archiveLegacy(LegacyFiles r) {
    DeployRepositoryPort repo = ports.repository();
    String tarballPath = "archive/deployment-archive-" + r.date() + ".tar.gz";
    Tarball tarball =
        repo.archive(r.host(), r.repository(), r.archiveFiles(), r.excludes(), tarballPath);
    List<String> moved =
        repo.moveAside(r.host(), r.repository(), r.obsoleteNames(), r.legacyDir(), manifest(r));
    return new LegacyArchive(tarball.path(), tarball.sha256(), tarball.files(), moved);
  }

  void restoreLegacy(LegacyFiles r) {
    ports.repository().moveBack(r.host(), r.repository(), manifest(r));
  }

  RootCount countRootFiles(LegacyFiles r) {
    int files = ports.repository().rootFiles(r.host(), r.repository());
    if (files >= r.maxRootFiles()) {
      throw Failures.thresholdNotMet(
          files
              + " files are left in the root of "
              + r.repository()
              + "; phase 1 asks for fewer than "
              + r.maxRootFiles()
              + ": move more into archive/ or raise repository.maxRootFiles");
    }
    return new RootCount(files, r.maxRootFiles());
  }

  private static String manifest(LegacyFiles r) {
    return r.legacyDir() + "/.ferry-moved-" + Keys.safe(r.key()) + ".txt";
  }

  Decommissioned decommissionSwarm(SwarmDecommission r) {
    List<String> present = ports.swarm().stacks(r.manager());
    List<String> removed = new ArrayList<>();
    for (String stack : r.stacks()) {
      if (present.contains(stack)) {
        ports.swarm().removeStack(r.manager(), stack);
        removed.add(stack);
      }
    }
    List<String> archived =
        ports
            .repository()
            .moveInto(r.repositoryHost(), r.repository(), r.composeFiles(), r.swarmArchiveDir());
    String marker = "MIGRATION_COMPLETE.md";
    ports
        .repository()
        .writeFile(
            r.repositoryHost(),
            r.repository(),
            marker,
            "# Migrated to K3s on "
                + r.date()
                + "\n\nLegacy configs archived in "
                + r.swarmArchiveDir()
                + "\nSwarm stacks removed: "
                + String.join(", ", r.stacks())
                + "\n");
    return new Decommissioned(removed, archived, marker, false);
  }
}
