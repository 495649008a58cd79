package io.ferry.activities.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An env-style config file ({@code KEY=value} lines, comments kept) and edits to it. */
final class EnvFile {

  private EnvFile() {}

  /** The settings the file holds, in order; later lines win. */
  static Map<String, String> parse(String content) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : content.split("\n", -1)) {
      String key = keyOf(line);
      if (key != null) {
        values.put(key, unquote(line.substring(line.indexOf('=') + 1).trim()));
      }
    }
    return values;
  }

  /** The content with each setting rewritten in place, or appended when it was missing. */
  static String apply(String content, Map<String, String> settings) {
    List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
    boolean endsWithNewline = content.endsWith("\n");
    if (endsWithNewline) {
      lines.remove(lines.size() - 1);
    }
    Map<String, String> pending = new LinkedHashMap<>(settings);
    for (int i = 0; i < lines.size(); i++) {
      String key = keyOf(lines.get(i));
      if (key != null && pending.containsKey(key)) {
        lines.set(i, key + "=" + pending.remove(key));
      }
    }
    pending.forEach((k, v) -> lines.add(k + "=" + v));
    return String.join("\n", lines)
        + (endsWithNewline || !pending.isEmpty() || content.isEmpty() ? "\n" : "");
  }

  private static String keyOf(String line) {
    String trimmed = line.strip();
    if (trimmed.startsWith("export ")) {
      trimmed = trimmed.substring("export ".length()).strip();
    }
    int eq = trimmed.indexOf('=');
    if (trimmed.startsWith("#") || eq <= 0) {
      return null;
    }
    String key = trimmed.substring(0, eq).strip();
    return key.matches("[A-Za-z_][A-Za-z0-9_]*") ? key : null;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
