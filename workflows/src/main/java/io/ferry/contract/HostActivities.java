package io.ferry.contract;

import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

/** Files, compose projects, systemd services and commands on hosts reached over SSH. */
@ActivityInterface(namePrefix = "Host.")
public interface HostActivities {

  /** Writes the compose file (and an env file from secret references) and brings it up. */
  ComposeState composeUp(ComposeProject project);

  /** Takes the project down and removes its files; nothing to do when it is not there. */
  void composeDown(ComposeRef project);

  /**
   * Sets the given settings in an env-style config file and restarts the service. The file as it
   * was is kept beside it under the key, once, so a retry does not overwrite the original.
   */
  ConfigSwitch switchConfig(ConfigChange change);

  /** Puts the kept file back and restarts the service; nothing to do when none was kept. */
  void restoreConfig(ConfigRestore restore);

  /**
   * Writes the units' journal since {@code since} from the host to a compressed file under {@code
   * destination} on the worker (kept); a retry finds the file of the key.
   */
  LogArchive exportLogs(LogExportRequest request);

  record LogExportRequest(
      SshTarget host,
      java.util.List<String> units,
      java.time.Duration since,
      String destination,
      String key) {}

  record LogArchive(String path, long bytes, String sha256) implements Summarized {
    @Override
    public String summary() {
      return "exported logs to "
          + path
          + " ("
          + bytes
          + " bytes, sha256 "
          + sha256.substring(0, 12)
          + ")";
    }
  }

  /**
   * @param env variables for the project's .env file, resolved on the worker and written 0600
   */
  record ComposeProject(
      SshTarget host,
      String directory,
      String name,
      String composeYaml,
      Map<String, SecretRef> env) {}

  record ComposeRef(SshTarget host, String directory, String name) {}

  record ComposeState(String name, List<String> services) implements Summarized {
    @Override
    public String summary() {
      return "compose project " + name + " running " + services;
    }
  }

  record ConfigChange(
      SshTarget host, String path, Map<String, String> settings, String service, String key) {}

  record ConfigRestore(SshTarget host, String path, String service, String key) {}

  /**
   * @param previous the values the changed settings had before (absent ones are missing)
   */
  record ConfigSwitch(String path, Map<String, String> previous, String backupPath)
      implements Summarized {
    @Override
    public String summary() {
      return "rewrote " + path + " (kept the original as " + backupPath + ") and restarted";
    }
  }
}
