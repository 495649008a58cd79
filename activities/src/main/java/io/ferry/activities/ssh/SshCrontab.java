package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.CrontabPort;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link CrontabPort} over SSH: {@code crontab -l}, {@code crontab -} (the new table on stdin, so
 * no line of it meets a shell) and {@code crontab -r}, with {@code -u USER} when a user is named.
 */
public final class SshCrontab implements CrontabPort {

  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
  private static final String INSTALL = "install cron (Debian/Ubuntu: apt-get install -y cron)";

  private final SshSessions ssh;

  public SshCrontab(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public Optional<String> readCrontab(SshTarget host, String user) {
    ExecResult result = run(host, user, "-l", null);
    if (result.succeeded()) {
      return Optional.of(result.stdout());
    }
    if (result.stderr().contains("no crontab for")) {
      return Optional.empty();
    }
    throw new IllegalStateException(
        "crontab -l" + who(user) + " on " + host.host() + " failed: " + result.lastErrorLine());
  }

  @Override
  public void replaceCrontab(SshTarget host, String user, String content) {
    Failures.require("content", content);
    ExecResult result = run(host, user, "-", content);
    if (result.succeeded()) {
      return;
    }
    String why =
        RemoteScript.lastLines(result.stderr().isBlank() ? result.stdout() : result.stderr(), 3);
    if (why.contains("errors in crontab file") || why.contains("bad ")) {
      throw Failures.invalidInput(
          "crontab" + who(user) + " on " + host.host() + " refused the new table: " + why);
    }
    throw new IllegalStateException(
        "crontab -" + who(user) + " on " + host.host() + " failed: " + why);
  }

  @Override
  public void removeCrontab(SshTarget host, String user) {
    ExecResult result = run(host, user, "-r", null);
    if (result.succeeded() || result.stderr().contains("no crontab for")) {
      return;
    }
    throw new IllegalStateException(
        "crontab -r" + who(user) + " on " + host.host() + " failed: " + result.lastErrorLine());
  }

  private ExecResult run(SshTarget host, String user, String action, String stdin) {
    List<String> words = new ArrayList<>(List.of("crontab"));
    if (user != null) {
      if (!USER.matcher(user).matches()) {
        throw Failures.invalidInput("user must be a login name such as backup, was " + user);
      }
      words.addAll(List.of("-u", user));
    }
    words.add(action);
    ExecRequest request = ExecRequest.of(RemoteScript.need("crontab") + Shell.words(words));
    ExecResult result = ssh.exec(host, stdin == null ? request : request.withStdin(stdin));
    RemoteScript.requireInstalled(host, result, "crontab", INSTALL);
    return result;
  }

  private static String who(String user) {
    return user == null ? "" : " -u " + user;
  }
}
