package io.ferry.activities.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.activities.Failures;
import io.ferry.activities.port.ComposePort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.activities.sim.SimHosts.Project;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compose projects on the simulated hosts, read from the compose.yaml written there. */
final class SimCompose implements ComposePort {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final SimWorld world;

  SimCompose(SimWorld world) {
    this.world = world;
  }

  @Override
  public List<String> composeUp(SshTarget target, String directory, String project) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      HostFile file = host.files.get(directory + "/compose.yaml");
      if (file == null) {
        throw Failures.notFound("no compose.yaml in " + directory + " on " + host.address);
      }
      List<String> services = new ArrayList<>();
      List<String> images = new ArrayList<>();
      try {
        JsonNode root = YAML.readTree(file.content());
        JsonNode svc = root == null ? null : root.get("services");
        if (svc == null || !svc.isObject() || svc.isEmpty()) {
          throw Failures.invalidInput("compose.yaml in " + directory + " defines no services");
        }
        svc.fields()
            .forEachRemaining(
                e -> {
                  services.add(e.getKey());
                  JsonNode image = e.getValue().get("image");
                  if (image == null) {
                    throw Failures.invalidInput("service " + e.getKey() + " has no image");
                  }
                  images.add(image.asText());
                });
      } catch (JsonProcessingException e) {
        throw Failures.invalidInput(
            "compose.yaml in " + directory + " is not YAML: " + e.getOriginalMessage());
      }
      Project p = new Project(directory, List.copyOf(services), List.copyOf(images));
      host.projects.put(project, p);
      Map<String, String> a = new LinkedHashMap<>();
      a.put("directory", directory);
      a.put("services", String.join(",", services));
      a.put("images", String.join(",", images));
      a.put("state", "running");
      world.ledger.put(new Resource("compose", host.address + ":" + project, a));
      return p.services();
    }
  }

  @Override
  public Optional<List<String>> composeServices(
      SshTarget target, String directory, String project) {
    synchronized (world) {
      Project p = world.hosts.connect(target).projects.get(project);
      return p == null ? Optional.empty() : Optional.of(p.services());
    }
  }

  @Override
  public void composeDown(SshTarget target, String directory, String project) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      if (host.projects.remove(project) != null) {
        world.ledger.remove("compose", host.address + ":" + project);
      }
    }
  }
}
