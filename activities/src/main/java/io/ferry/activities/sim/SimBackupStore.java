package io.ferry.activities.sim;

import io.ferry.activities.port.BackupStorePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Backup files on the worker, shown in the ledger as retained {@code backup} resources. */
final class SimBackupStore implements BackupStorePort {

  private final SimWorld world;
  private final Map<String, List<String>> files = new TreeMap<>();

  SimBackupStore(SimWorld world) {
    this.world = world;
  }

  @Override
  public Optional<List<String>> read(String path) {
    synchronized (world) {
      return Optional.ofNullable(files.get(path));
    }
  }

  @Override
  public void write(String path, List<String> lines) {
    synchronized (world) {
      files.put(path, List.copyOf(lines));
      StringBuilder content = new StringBuilder();
      lines.forEach(l -> content.append(l).append('\n'));
      Map<String, String> a = new LinkedHashMap<>();
      a.put("keys", Integer.toString(lines.size()));
      a.put("sha256", SimWorld.sha256(content.toString()));
      world.ledger.put(new Resource("backup", path, a, true));
      world.workerFiles.replace(path, content.toString()); // readable to an upload, like on disk
    }
  }
}
