package io.ferry.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.activities.Failures;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.contract.AppPlatformActivities.ImageRef;
import io.ferry.contract.AppPlatformActivities.SpecSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads an app spec file on the worker and makes the spec App Platform gets: the app's name, each
 * component's DOCR image source, and app-level SECRET variables. Values passed in here are secret;
 * the spec is never logged.
 */
final class AppSpecs {

  static final long MAX_BYTES = 1 << 20;

  /** Component lists that can run an image (static sites build from source and cannot). */
  static final List<String> IMAGE_COMPONENTS = List.of("services", "workers", "jobs");

  static final List<String> ALL_COMPONENTS =
      List.of("services", "workers", "jobs", "static_sites", "functions");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final WorkerFilesPort files;

  AppSpecs(WorkerFilesPort files) {
    this.files = files;
  }

  /** The file as written, with its sha256. */
  record Read(ObjectNode spec, String sha256) {}

  Read read(String path) {
    String text =
        files
            .readText(Failures.require("spec path", path), MAX_BYTES)
            .orElseThrow(() -> Failures.notFound("no app spec file " + path + " on the worker"));
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw Failures.invalidInput(
          "app spec " + path + " is not YAML or JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode spec)) {
      throw Failures.invalidInput("app spec " + path + " is not a mapping of spec fields");
    }
    return new Read(spec, sha256(text));
  }

  /**
   * The spec to send: {@code env} holds the resolved values (or stand-ins for a proposal).
   *
   * @throws io.temporal.failure.ApplicationFailure InvalidInput when an image's component is not in
   *     the spec or cannot run an image
   */
  ObjectNode build(ObjectNode original, SpecSource source, Map<String, String> env) {
    ObjectNode spec = original.deepCopy();
    spec.put("name", source.appName());
    List<String> problems = new ArrayList<>();
    for (ImageRef image : source.images()) {
      ObjectNode component = component(spec, image.component());
      if (component == null) {
        String where =
            staticSite(spec, image.component())
                ? " is a static site, which cannot run an image; make it a service"
                : " is not a service, worker or job of the spec (components: "
                    + components(spec)
                    + ")";
        problems.add("images: component '" + image.component() + "'" + where);
        continue;
      }
      for (String source2 :
          List.of(
              "git",
              "github",
              "gitlab",
              "bitbucket",
              "dockerfile_path",
              "build_command",
              "source_dir")) {
        component.remove(source2);
      }
      ObjectNode imageNode = component.putObject("image");
      imageNode.put("registry_type", "DOCR");
      imageNode.put("repository", image.repository());
      imageNode.put("tag", image.tag());
    }
    if (!problems.isEmpty()) {
      throw Failures.invalidInput(String.join("; ", problems));
    }
    ArrayNode envs =
        spec.has("envs") && spec.get("envs").isArray()
            ? (ArrayNode) spec.get("envs")
            : spec.putArray("envs");
    for (Map.Entry<String, String> e : env.entrySet()) {
      for (Iterator<JsonNode> it = envs.iterator(); it.hasNext(); ) {
        if (e.getKey().equals(it.next().path("key").asText())) {
          it.remove();
        }
      }
      ObjectNode var = envs.addObject();
      var.put("key", e.getKey());
      var.put("value", e.getValue());
      var.put("type", "SECRET");
      var.put("scope", "RUN_AND_BUILD_TIME");
    }
    return spec;
  }

  static List<String> components(JsonNode spec) {
    List<String> names = new ArrayList<>();
    for (String list : ALL_COMPONENTS) {
      spec.path(list).forEach(c -> names.add(c.path("name").asText()));
    }
    return names;
  }

  private static ObjectNode component(ObjectNode spec, String name) {
    for (String list : IMAGE_COMPONENTS) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode o && name.equals(c.path("name").asText())) {
          return o;
        }
      }
    }
    return null;
  }

  private static boolean staticSite(ObjectNode spec, String name) {
    for (JsonNode c : spec.path("static_sites")) {
      if (name.equals(c.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
