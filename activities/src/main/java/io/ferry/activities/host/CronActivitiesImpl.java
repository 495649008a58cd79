package io.ferry.activities.host;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.CrontabPort;
import io.ferry.contract.CronActivities;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.List;

/** {@link CronActivities} over a host's {@link CrontabPort}. */
public final class CronActivitiesImpl implements CronActivities {

  private final CrontabPort crontab;

  public CronActivitiesImpl(CrontabPort crontab) {
    this.crontab = crontab;
  }

  /** The prefix a disabled line carries: {@code #ferry-disabled[<safe key>] }. */
  static String marker(String key) {
    return "#ferry-disabled[" + Keys.safe(Failures.require("key", key)) + "] ";
  }

  @Override
  public CronEntriesDisabled disableCronEntries(CronDisable request) {
    SshTarget host = Failures.require("host", request.host());
    List<String> entries = Failures.require("entries", request.entries());
    if (entries.isEmpty() || entries.stream().anyMatch(e -> e == null || e.isBlank())) {
      throw Failures.invalidInput("entries must name at least one crontab line, none blank");
    }
    String marker = marker(request.key());
    String table = crontab.readCrontab(host, request.user()).orElse("");
    List<String> lines = splitKeepingEnd(table);
    int disabled = 0;
    int already = 0;
    List<String> unmatched = new ArrayList<>();
    for (String entry : entries) {
      boolean found = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.startsWith(marker) && line.contains(entry)) {
          found = true;
        } else if (isActive(line) && line.contains(entry)) {
          found = true;
        }
      }
      if (!found) {
        unmatched.add(entry);
      }
    }
    if (!unmatched.isEmpty()) {
      throw Failures.notFound(
          "no active crontab line of "
              + (request.user() == null ? "the login user" : request.user())
              + " on "
              + host.host()
              + " contains "
              + unmatched
              + ("".equals(table) ? " (the user has no crontab)" : "")
              + ": check the plan's cron entries against `crontab -l`");
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith(marker)) {
        already++;
      } else if (isActive(line) && entries.stream().anyMatch(line::contains)) {
        lines.set(i, marker + line);
        disabled++;
      }
    }
    if (disabled > 0) {
      crontab.replaceCrontab(host, request.user(), String.join("", lines));
    }
    return new CronEntriesDisabled(host.host(), request.user(), entries, disabled, already);
  }

  @Override
  public void restoreCronEntries(CronRestore request) {
    SshTarget host = Failures.require("host", request.host());
    String marker = marker(request.key());
    String table = crontab.readCrontab(host, request.user()).orElse(null);
    if (table == null) {
      return;
    }
    List<String> lines = splitKeepingEnd(table);
    boolean changed = false;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(marker)) {
        lines.set(i, lines.get(i).substring(marker.length()));
        changed = true;
      }
    }
    if (changed) {
      crontab.replaceCrontab(host, request.user(), String.join("", lines));
    }
  }

  private static boolean isActive(String line) {
    String l = line.strip();
    return !l.isEmpty() && !l.startsWith("#");
  }

  /** The lines of {@code text}, each with its own line end, so joining them gives back the text. */
  private static List<String> splitKeepingEnd(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      int next = end < 0 ? text.length() : end + 1;
      lines.add(text.substring(start, next));
      start = next;
    }
    return lines;
  }
}
