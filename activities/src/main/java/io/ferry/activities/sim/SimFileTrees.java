package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.FileTreePort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Directory trees on the simulated hosts, over the same files as {@link SimHostFiles}: a directory
 * exists while a file is under it. Archives made on a host and copies on the worker are kept on
 * purpose (retained), as the real ones are.
 */
final class SimFileTrees implements FileTreePort {

  private final SimWorld world;

  SimFileTrees(SimWorld world) {
    this.world = world;
  }

  /** A checkout on a host, as the developer left it (once). */
  void seedTree(String address, String dir, Map<String, String> files) {
    synchronized (world) {
      Host host = world.hosts.seedHost(address);
      files.forEach(
          (path, content) -> {
            String full = dir + "/" + path;
            if (!host.touchedPaths.contains(full)) {
              world.hosts.putFile(host, full, new HostFile(content, "0644"));
            }
          });
    }
  }

  @Override
  public Optional<Map<String, TreeEntry>> manifest(
      SshTarget target, String dir, List<String> excludes) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      String prefix = dir.endsWith("/") ? dir : dir + "/";
      Map<String, TreeEntry> entries = new TreeMap<>();
      boolean any = false;
      for (Map.Entry<String, HostFile> e : host.files.entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          continue;
        }
        any = true;
        String rel = e.getKey().substring(prefix.length());
        if (List.of(rel.split("/")).stream().anyMatch(excludes::contains)) {
          continue;
        }
        byte[] bytes = e.getValue().content().getBytes(StandardCharsets.UTF_8);
        entries.put(
            rel,
            new TreeEntry(
                bytes.length,
                SimWorld.sha256(e.getValue().content()),
                e.getValue().mode().replaceFirst("^0", "")));
      }
      return any ? Optional.of(entries) : Optional.empty();
    }
  }

  @Override
  public byte[] read(SshTarget target, String path) {
    synchronized (world) {
      HostFile file = world.hosts.connect(target).files.get(path);
      if (file == null) {
        throw Failures.notFound(path + " does not exist on " + target.host());
      }
      return file.content().getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void write(SshTarget target, String path, byte[] content, String mode) {
    synchronized (world) {
      String octal = mode.startsWith("0") ? mode : "0" + mode;
      world.hosts.putFile(
          world.hosts.connect(target),
          path,
          new HostFile(new String(content, StandardCharsets.UTF_8), octal));
    }
  }

  @Override
  public void remove(SshTarget target, String dir, List<String> relativePaths) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      String prefix = dir.endsWith("/") ? dir : dir + "/";
      for (String rel : relativePaths) {
        if (host.files.remove(prefix + rel) != null) {
          world.ledger.remove("file", host.address + ":" + prefix + rel);
        }
      }
    }
  }

  @Override
  public boolean removeTree(SshTarget target, String dir) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      String prefix = dir + "/";
      List<String> under = host.files.keySet().stream().filter(p -> p.startsWith(prefix)).toList();
      under.forEach(
          p -> {
            host.files.remove(p);
            world.ledger.remove("file", host.address + ":" + p);
          });
      return !under.isEmpty();
    }
  }

  @Override
  public StoredFile archive(SshTarget target, String dir, List<String> excludes, String archive) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      HostFile existing = host.files.get(archive);
      if (existing == null) {
        Map<String, TreeEntry> tree =
            manifest(target, dir, excludes)
                .orElseThrow(() -> Failures.notFound(dir + " does not exist on " + target.host()));
        StringBuilder tar = new StringBuilder("tar.gz of " + dir + "\n");
        tree.forEach((p, e) -> tar.append(e.sha256()).append(' ').append(p).append('\n'));
        existing = new HostFile(tar.toString(), "0600");
        host.files.put(archive, existing);
        host.touchedPaths.add(archive);
        world.ledger.put(kept("file", host.address + ":" + archive, existing.content()));
      }
      return stored(archive, existing.content());
    }
  }

  @Override
  public StoredFile download(SshTarget target, String path, String localPath) {
    synchronized (world) {
      String content = new String(read(target, path), StandardCharsets.UTF_8);
      world.workerFiles.write(localPath, content);
      return stored(localPath, content);
    }
  }

  @Override
  public StoredFile upload(String localPath, SshTarget target, String path, String mode) {
    synchronized (world) {
      String content =
          world
              .workerFiles
              .readText(localPath, Long.MAX_VALUE)
              .orElseThrow(() -> Failures.notFound(localPath + " does not exist on the worker"));
      write(target, path, content.getBytes(StandardCharsets.UTF_8), mode);
      return stored(path, content);
    }
  }

  @Override
  public void extractMember(SshTarget target, String tarball, String member, String destination) {
    synchronized (world) {
      String content = new String(read(target, tarball), StandardCharsets.UTF_8);
      write(
          target,
          destination,
          ("binary " + member + " from " + SimWorld.sha256(content))
              .getBytes(StandardCharsets.UTF_8),
          "0755");
    }
  }

  private static StoredFile stored(String path, String content) {
    return new StoredFile(
        path, content.getBytes(StandardCharsets.UTF_8).length, SimWorld.sha256(content));
  }

  private static Resource kept(String kind, String id, String content) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("sha256", SimWorld.sha256(content));
    a.put("bytes", Integer.toString(content.getBytes(StandardCharsets.UTF_8).length));
    return new Resource(kind, id, a, true);
  }
}
