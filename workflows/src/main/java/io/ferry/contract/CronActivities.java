package io.ferry.contract;

import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Crontab entries on hosts, turned off and back on. A disabled line stays in the table behind a
 * marker naming the step's key, so the undo puts back exactly the table as it was and no line of it
 * (which may hold a password) ever leaves the host.
 */
@ActivityInterface(namePrefix = "Cron.")
public interface CronActivities {

  /**
   * Comments out every active line containing one of {@code entries}; each entry must match a line
   * (or one this key disabled before: a retry finds its own work). Nothing changes when one does
   * not match.
   */
  CronEntriesDisabled disableCronEntries(CronDisable request);

  /**
   * Turns the lines this key disabled back on, byte for byte; nothing to do when there are none.
   */
  void restoreCronEntries(CronRestore request);

  /**
   * @param user whose crontab (the login user's when null; another user's needs root or sudo)
   * @param entries text identifying each line to disable, such as the script it runs
   * @param key the step's idempotency key
   */
  record CronDisable(SshTarget host, String user, List<String> entries, String key) {}

  record CronRestore(SshTarget host, String user, String key) {}

  /**
   * @param disabled lines this call commented out
   * @param alreadyDisabled lines an earlier attempt with the same key had commented out
   */
  record CronEntriesDisabled(
      String host, String user, List<String> entries, int disabled, int alreadyDisabled)
      implements Summarized {
    @Override
    public String summary() {
      return "disabled "
          + (disabled + alreadyDisabled)
          + " crontab line(s) of "
          + (user == null ? "the login user" : user)
          + " on "
          + host
          + " matching "
          + entries;
    }
  }
}
