package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.CrontabPort;
import io.ferry.plan.SshTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The crontabs of the simulated hosts, one per host and user, each in the ledger (its digest and
 * its number of active lines). A table whose line has fewer than five time fields is refused, as
 * {@code crontab -} refuses it.
 */
final class SimCrontab implements CrontabPort {

  private static final String LOGIN = "(login user)";
  private final SimWorld world;
  private final Map<String, String> tables = new TreeMap<>();

  SimCrontab(SimWorld world) {
    this.world = world;
  }

  @Override
  public Optional<String> readCrontab(SshTarget host, String user) {
    synchronized (world) {
      return Optional.ofNullable(tables.get(id(host, user)));
    }
  }

  @Override
  public void replaceCrontab(SshTarget host, String user, String content) {
    synchronized (world) {
      Failures.require("content", content);
      String id = id(host, user);
      for (String line : content.split("\n")) {
        String l = line.strip();
        if (!l.isEmpty()
            && !l.startsWith("#")
            && !l.contains("=")
            && !l.startsWith("@")
            && l.split("\\s+").length < 6) {
          throw Failures.invalidInput(
              "crontab of " + id + " refused the new table: bad minute in line: " + l);
        }
      }
      tables.put(id, content);
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("sha256", SimWorld.sha256(content));
      attributes.put(
          "active",
          Long.toString(
              content
                  .lines()
                  .map(String::strip)
                  .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                  .count()));
      world.ledger.put(new Resource("crontab", id, attributes));
    }
  }

  @Override
  public void removeCrontab(SshTarget host, String user) {
    synchronized (world) {
      String id = id(host, user);
      if (tables.remove(id) != null) {
        world.ledger.remove("crontab", id);
      }
    }
  }

  /** Connects (an unreachable host refuses) and names the table. Callers hold the world's lock. */
  private String id(SshTarget host, String user) {
    world.hosts.connect(host);
    return host.host() + ":" + (user == null ? LOGIN : user);
  }

  void seed(SshTarget host, String user, String content) {
    synchronized (world) {
      if (readCrontab(host, user).isEmpty()) {
        replaceCrontab(host, user, content);
      }
    }
  }
}
