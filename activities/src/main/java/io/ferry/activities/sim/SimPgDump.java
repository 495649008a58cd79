package io.ferry.activities.sim;

import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.port.PgDumpPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pg_dump from a simulated host: the database must exist; the dump is a kept file in the ledger.
 */
final class SimPgDump implements PgDumpPort {

  private final SimWorld world;

  SimPgDump(SimWorld world) {
    this.world = world;
  }

  @Override
  public WrittenFile pgDump(
      SshTarget target, PostgresTarget database, String password, String path) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      world.postgres.databaseSize(database, database.database());
      String content = "PGDMP " + database.host() + "/" + database.database();
      Map<String, String> a = new LinkedHashMap<>();
      a.put("sha256", SimWorld.sha256(content));
      a.put("bytes", Integer.toString(content.length()));
      a.put("mode", "0600");
      world.ledger.put(new Resource("file", host.address + ":" + path, a, true));
      host.files.put(path, new HostFile(content, "0600")); // so a copy to the worker finds it
      return new WrittenFile(path, content.length(), SimWorld.sha256(content));
    }
  }
}
