package io.ferry.activities.transition;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.CrontabPort;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.contract.TransitionActivities.BackupsScheduled;
import io.ferry.contract.TransitionActivities.CronLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seed's nightly backups as crontab lines between markers naming the step's key. The table as
 * it was is kept on the host (never leaving it: a crontab may hold a password), once per key, so
 * the undo restores it byte for byte.
 */
final class NightlyBackups {

  static final String KEPT_DIR = "/var/lib/ferry/crontab/";

  private final CrontabPort crontab;
  private final HostFilesPort files;
  private final String keptDir;

  NightlyBackups(CrontabPort crontab, HostFilesPort files) {
    this(crontab, files, KEPT_DIR);
  }

  /** With the kept tables elsewhere than {@link #KEPT_DIR} (a test's host is this machine). */
  NightlyBackups(CrontabPort crontab, HostFilesPort files, String keptDir) {
    this.crontab = crontab;
    this.files = files;
    this.keptDir = keptDir.endsWith("/") ? keptDir : keptDir + "/";
  }

  BackupsScheduled schedule(CronLines request) {
    Failures.require("lines", request.lines());
    for (String line : request.lines()) {
      if (line.indexOf('\n') >= 0 || line.isBlank()) {
        throw Failures.invalidInput("a crontab line must be one non-empty line, was " + line);
      }
    }
    Optional<String> current = crontab.readCrontab(request.host(), request.user());
    if (files.readFile(request.host(), kept(request)).isEmpty()
        && files.readFile(request.host(), absent(request)).isEmpty()) {
      if (current.isPresent()) {
        files.writeFile(request.host(), kept(request), current.get(), "0600");
      } else {
        files.writeFile(request.host(), absent(request), "no crontab before\n", "0600");
      }
    }
    List<String> table = new ArrayList<>();
    boolean inOurs = false;
    for (String line : current.orElse("").lines().toList()) {
      if (line.equals(begin(request))) {
        inOurs = true;
      } else if (line.equals(end(request))) {
        inOurs = false;
      } else if (!inOurs) {
        table.add(line);
      }
    }
    table.add(begin(request));
    table.addAll(request.lines());
    table.add(end(request));
    crontab.replaceCrontab(request.host(), request.user(), String.join("\n", table) + "\n");
    return new BackupsScheduled(request.host().host(), request.lines());
  }

  void unschedule(CronLines request) {
    Optional<HostFile> before = files.readFile(request.host(), kept(request));
    if (before.isPresent()) {
      crontab.replaceCrontab(request.host(), request.user(), before.get().content());
      files.removeFile(request.host(), kept(request));
    } else if (files.readFile(request.host(), absent(request)).isPresent()) {
      crontab.removeCrontab(request.host(), request.user());
      files.removeFile(request.host(), absent(request));
    }
  }

  private String kept(CronLines r) {
    return keptDir + Keys.safe(Failures.require("key", r.key()));
  }

  private String absent(CronLines r) {
    return kept(r) + ".absent";
  }

  private static String begin(CronLines r) {
    return "# " + Keys.marker(r.key()) + " begin (Ferry: nightly backups)";
  }

  private static String end(CronLines r) {
    return "# " + Keys.marker(r.key()) + " end";
  }
}
