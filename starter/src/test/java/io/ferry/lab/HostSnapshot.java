package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a rollback must give back, read by the lab itself (not through Ferry): each host's files
 * under {@code /opt} and the state its stand-in tools keep (containers, compose projects, units),
 * each PostgreSQL's databases, tables, roles and replication slots, each Redis's keys, and the
 * DigitalOcean stand-in's resources.
 */
final class HostSnapshot {

  private HostSnapshot() {}

  /** One sorted map of {@code what -> state} for the whole lab. */
  static Map<String, String> of(
      Lab lab,
      Map<String, Path> postgresSockets,
      Map<String, Path> redisPasswords,
      List<String> cloud) {
    Map<String, String> state = new TreeMap<>();
    for (LabHost host : lab.hosts()) {
      files(host.name() + ":/opt", host.opt(), state);
      files(host.name() + ":/usr/local/var", host.dir().resolve("usr-local/var"), state);
      files(host.name() + ":/usr/local/bin", host.bin(), state);
      // what a host wrote to /etc and /var/lib, where its sshd has them as overlays (K3s's files)
      files(host.name() + ":/etc (written)", host.dir().resolve("overlay/etc/upper"), state);
      files(
          host.name() + ":/var/lib (written)", host.dir().resolve("overlay/var-lib/upper"), state);
    }
    postgresSockets.forEach(
        (host, socket) -> {
          state.put(
              host + ":postgres databases",
              Services.psql(
                      socket,
                      "SELECT string_agg(datname, ',' ORDER BY datname)" + " FROM pg_database")
                  .strip());
          state.put(
              host + ":postgres roles",
              Services.psql(
                      socket, "SELECT string_agg(rolname, ',' ORDER BY rolname)" + " FROM pg_roles")
                  .strip());
          state.put(
              host + ":postgres replication slots",
              Services.psql(
                      socket,
                      "SELECT coalesce(string_agg(slot_name, ','"
                          + " ORDER BY slot_name), '') FROM pg_replication_slots")
                  .strip());
        });
    redisPasswords.forEach(
        (address, password) -> {
          Cmd.Result keys =
              Cmd.run(
                  List.of(
                      "env",
                      "REDISCLI_AUTH=" + Services.read(password),
                      "redis-cli",
                      "-h",
                      address,
                      "--scan"));
          state.put(
              address + ":redis keys", String.join(",", keys.output().lines().sorted().toList()));
        });
    state.put("digitalocean", String.join("\n", cloud));
    return state;
  }

  private static void files(String label, Path root, Map<String, String> state) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted().toList()) {
        if (p.getFileName().toString().equals("tool-calls.log")) {
          continue; // the record of what was asked, not state
        }
        PosixFileAttributes a =
            Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String kind = a.isDirectory() ? "dir" : a.isSymbolicLink() ? "link" : "file";
        String value =
            kind
                + " "
                + PosixFilePermissions.toString(a.permissions())
                + " "
                + a.owner().getName()
                + ":"
                + a.group().getName()
                + (a.isRegularFile() ? " sha256 " + sha256(p) : "");
        state.put(label + "/" + root.relativize(p), value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lines saying what differs between two snapshots; empty when equal. */
  static List<String> differences(Map<String, String> before, Map<String, String> after) {
    List<String> out = new ArrayList<>();
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        out.add("gone: " + key + " (" + before.get(key) + ")");
      } else if (!before.get(key).equals(after.get(key))) {
        out.add("changed: " + key + ": " + before.get(key) + " -> " + after.get(key));
      }
    }
    for (String key : after.keySet()) {
      if (!before.containsKey(key)) {
        out.add("left behind: " + key + " (" + after.get(key) + ")");
      }
    }
    return out;
  }
}
