package io.ferry.activities.sim;

import io.ferry.activities.port.DockerPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Detached containers on the simulated hosts; {@code docker ps} also lists compose services. */
final class SimDocker implements DockerPort {

  private final SimWorld world;
  private final Map<String, Map<String, ContainerInfo>> containers = new TreeMap<>();

  SimDocker(SimWorld world) {
    this.world = world;
  }

  @Override
  public List<String> runningContainers(SshTarget target) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      List<String> names = new ArrayList<>();
      host.projects.forEach(
          (project, p) -> p.services().forEach(s -> names.add(project + "-" + s + "-1")));
      containers.getOrDefault(host.address, Map.of()).forEach((n, c) -> names.add(n));
      return names;
    }
  }

  @Override
  public Optional<ContainerInfo> inspect(SshTarget target, String name) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      return Optional.ofNullable(containers.getOrDefault(host.address, Map.of()).get(name));
    }
  }

  @Override
  public String runDetached(
      SshTarget target, String name, String image, List<String> volumes, Map<String, String> env) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      Map<String, ContainerInfo> mine =
          containers.computeIfAbsent(host.address, a -> new TreeMap<>());
      if (mine.containsKey(name)) {
        throw new IllegalStateException(
            "docker: Conflict. The container name \"/" + name + "\" is already in use");
      }
      String id = SimWorld.sha256(host.address + name + image).substring(0, 12);
      mine.put(name, new ContainerInfo(id, image, true));
      Map<String, String> a = new LinkedHashMap<>();
      a.put("image", image);
      a.put("network", "host");
      a.put("volumes", String.join(",", volumes));
      world.ledger.put(new Resource("container", host.address + ":" + name, a));
      return id;
    }
  }

  @Override
  public boolean remove(SshTarget target, String name) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      Map<String, ContainerInfo> mine = containers.get(host.address);
      if (mine == null || mine.remove(name) == null) {
        return false;
      }
      world.ledger.remove("container", host.address + ":" + name);
      return true;
    }
  }
}
