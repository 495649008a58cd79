package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.Optional;

/**
 * A user's crontab on a host, read and replaced whole and exactly (what {@code crontab -l} prints
 * and {@code crontab -} installs), "no crontab" included.
 */
public interface CrontabPort {

  /**
   * The crontab of {@code user} (the login user when null) exactly as installed; empty when the
   * user has none.
   */
  Optional<String> readCrontab(SshTarget host, String user);

  /** Installs {@code content} as the whole crontab of {@code user}; a malformed one is refused. */
  void replaceCrontab(SshTarget host, String user, String content);

  /** Removes the crontab of {@code user}; nothing to do when there is none. */
  void removeCrontab(SshTarget host, String user);
}
