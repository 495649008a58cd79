package io.ferry.activities.sim;

import io.ferry.activities.port.HostLogsPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import java.time.Instant;
import java.util.List;

/** Journals of the simulated hosts: a header line per unit, written to the worker's files. */
final class SimHostLogs implements HostLogsPort {

  private final SimWorld world;

  SimHostLogs(SimWorld world) {
    this.world = world;
  }

  @Override
  public WrittenFile exportJournal(
      SshTarget target, List<String> units, Instant since, String localPath) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      StringBuilder journal = new StringBuilder();
      for (String unit : units) {
        journal
            .append("-- journal of ")
            .append(unit)
            .append(" on ")
            .append(host.address)
            .append(" --\n");
      }
      String sha = world.workerFiles.write(localPath, journal.toString());
      return new WrittenFile(localPath, journal.length(), sha);
    }
  }
}
