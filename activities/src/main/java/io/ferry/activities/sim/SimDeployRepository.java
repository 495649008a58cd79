package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.DeployRepositoryPort;
import io.ferry.activities.port.SwarmPort;
import io.ferry.plan.SshTarget;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The deployment repository (its files by relative path, each in the ledger) and the Swarm
 * manager's stacks. Tarballs are kept on purpose, so a rollback's ledger check leaves them out.
 */
final class SimDeployRepository implements DeployRepositoryPort, SwarmPort {

  private final SimWorld world;
  private final Map<String, TreeSet<String>> repositories = new TreeMap<>();
  private final Map<String, String> manifests = new TreeMap<>();
  private final Map<String, TreeSet<String>> stacks = new TreeMap<>();

  SimDeployRepository(SimWorld world) {
    this.world = world;
  }

  void seedRepository(String host, String repository, List<String> files) {
    synchronized (world) {
      String id = host + ":" + repository;
      if (repositories.containsKey(id)) {
        return;
      }
      TreeSet<String> set = new TreeSet<>(files);
      repositories.put(id, set);
      set.forEach(f -> world.ledger.put(file(id, f)));
    }
  }

  void seedStacks(String manager, List<String> names) {
    synchronized (world) {
      TreeSet<String> set = stacks.computeIfAbsent(manager, m -> new TreeSet<>());
      for (String s : names) {
        if (set.add(s)) {
          world.ledger.put(
              new Resource("swarm-stack", manager + ":" + s, Map.of("state", "running")));
        }
      }
    }
  }

  @Override
  public Tarball archive(
      SshTarget host,
      String repository,
      List<String> include,
      List<String> exclude,
      String tarball) {
    synchronized (world) {
      String id = id(host, repository);
      TreeSet<String> files = repo(id);
      List<String> archived =
          files.stream().filter(f -> matchesAny(f, include) && !matchesAny(f, exclude)).toList();
      String sha = SimWorld.sha256(String.join("\n", archived));
      Resource r =
          new Resource(
              "tarball",
              id + "/" + tarball,
              Map.of("files", Integer.toString(archived.size()), "sha256", sha),
              true);
      world.ledger.put(r);
      return new Tarball(tarball, sha, archived.size());
    }
  }

  @Override
  public List<String> moveAside(
      SshTarget host, String repository, List<String> patterns, String intoDir, String manifest) {
    synchronized (world) {
      String id = id(host, repository);
      String kept = manifests.get(id + "/" + manifest);
      if (kept != null) {
        return kept.isEmpty() ? List.of() : List.of(kept.split("\n"));
      }
      TreeSet<String> files = repo(id);
      List<String> moved = new ArrayList<>();
      for (String f : new ArrayList<>(files)) {
        String name = f.substring(f.lastIndexOf('/') + 1);
        if (!f.startsWith(intoDir + "/") && matchesAny(name, patterns)) {
          String to = intoDir + "/" + name;
          move(id, files, f, to);
          moved.add(f + " -> " + to);
        }
      }
      manifests.put(id + "/" + manifest, String.join("\n", moved));
      files.add(manifest);
      world.ledger.put(file(id, manifest));
      return moved;
    }
  }

  @Override
  public List<String> moveBack(SshTarget host, String repository, String manifest) {
    synchronized (world) {
      String id = id(host, repository);
      String kept = manifests.remove(id + "/" + manifest);
      if (kept == null) {
        return List.of();
      }
      TreeSet<String> files = repo(id);
      List<String> back = new ArrayList<>();
      for (String line : kept.isEmpty() ? new String[0] : kept.split("\n")) {
        String[] fromTo = line.split(" -> ");
        if (files.contains(fromTo[1])) {
          move(id, files, fromTo[1], fromTo[0]);
          back.add(fromTo[0]);
        }
      }
      files.remove(manifest);
      world.ledger.remove("repo-file", id + "/" + manifest);
      return back;
    }
  }

  @Override
  public Optional<List<String>> moved(SshTarget host, String repository, String manifest) {
    synchronized (world) {
      String kept = manifests.get(id(host, repository) + "/" + manifest);
      return kept == null ? Optional.empty() : Optional.of(List.of(kept.split("\n")));
    }
  }

  @Override
  public int rootFiles(SshTarget host, String repository) {
    synchronized (world) {
      return (int) repo(id(host, repository)).stream().filter(f -> !f.contains("/")).count();
    }
  }

  @Override
  public List<String> moveInto(
      SshTarget host, String repository, List<String> globs, String intoDir) {
    synchronized (world) {
      String id = id(host, repository);
      TreeSet<String> files = repo(id);
      List<String> moved = new ArrayList<>();
      for (String f : new ArrayList<>(files)) {
        if (!f.contains("/") && matchesAny(f, globs)) {
          move(id, files, f, intoDir + "/" + f);
          moved.add(f);
        }
      }
      return moved;
    }
  }

  @Override
  public void writeFile(SshTarget host, String repository, String relativePath, String content) {
    synchronized (world) {
      String id = id(host, repository);
      repo(id).add(relativePath);
      world.ledger.put(
          new Resource(
              "repo-file", id + "/" + relativePath, Map.of("sha256", SimWorld.sha256(content))));
    }
  }

  @Override
  public List<String> stacks(SshTarget manager) {
    synchronized (world) {
      String address = world.hosts.connect(manager).address;
      return List.copyOf(stacks.getOrDefault(address, new TreeSet<>()));
    }
  }

  @Override
  public void removeStack(SshTarget manager, String stack) {
    synchronized (world) {
      String address = world.hosts.connect(manager).address;
      TreeSet<String> set = stacks.get(address);
      if (set != null && set.remove(stack)) {
        world.ledger.remove("swarm-stack", address + ":" + stack);
      }
    }
  }

  private String id(SshTarget host, String repository) {
    return world.hosts.connect(host).address + ":" + repository;
  }

  private TreeSet<String> repo(String id) {
    TreeSet<String> files = repositories.get(id);
    if (files == null) {
      throw Failures.notFound("no repository at " + id);
    }
    return files;
  }

  private void move(String id, TreeSet<String> files, String from, String to) {
    files.remove(from);
    files.add(to);
    world.ledger.remove("repo-file", id + "/" + from);
    world.ledger.put(file(id, to));
  }

  private static Resource file(String id, String path) {
    return new Resource("repo-file", id + "/" + path, Map.of());
  }

  static boolean matchesAny(String path, List<String> globs) {
    for (String g : globs) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + g);
      if (m.matches(Path.of(path))) {
        return true;
      }
    }
    return false;
  }
}
