package io.ferry.activities.port;

import java.util.List;
import java.util.Optional;

/** Files on the worker that outlive a rollback (backups of data about to be moved). */
public interface BackupStorePort {

  Optional<List<String>> read(String path);

  /** Writes the lines (each ended by a newline) atomically, readable by the owner only. */
  void write(String path, List<String> lines);
}
