package io.ferry.activities.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** A memory item as stored (JSON with at least {@code text}), or why it cannot be migrated. */
record MemoryItem(String text, Map<String, Object> properties) {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String[] FIELDS = {"threadId", "speaker", "domain", "timestamp"};

  /** The item, or throws {@link Malformed} with the reason. */
  static MemoryItem parse(String sourceKey, String value) {
    if (value == null || value.isBlank()) {
      throw new Malformed("empty value");
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new Malformed("not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new Malformed("not a JSON object");
    }
    JsonNode text = node.get("text");
    if (text == null || !text.isTextual() || text.asText().isBlank()) {
      throw new Malformed("no text");
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("text", text.asText());
    for (String field : FIELDS) {
      JsonNode v = node.get(field);
      if (v != null && !v.isNull()) {
        properties.put(field, v.asText());
      }
    }
    properties.put("sourceKey", sourceKey);
    return new MemoryItem(text.asText(), properties);
  }

  static final class Malformed extends RuntimeException {
    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }
}
