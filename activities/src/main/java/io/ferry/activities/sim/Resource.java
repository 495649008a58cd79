package io.ferry.activities.sim;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing in the simulated world (a droplet, a file, a table) as the ledger shows it.
 *
 * @param retained kept on purpose after a rollback (a backup), so left out of "back to start"
 */
public record Resource(String kind, String id, Map<String, String> attributes, boolean retained) {

  public Resource {
    attributes =
        Collections.unmodifiableMap(new TreeMap<>(attributes == null ? Map.of() : attributes));
  }

  public Resource(String kind, String id, Map<String, String> attributes) {
    this(kind, id, attributes, false);
  }

  /** The ledger key: {@code kind/id}. */
  public String key() {
    return kind + "/" + id;
  }

  public String attribute(String name) {
    return attributes.get(name);
  }

  /** A copy with one attribute set, or removed when {@code value} is null. */
  public Resource with(String name, String value) {
    Map<String, String> copy = new TreeMap<>(attributes);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return new Resource(kind, id, copy, retained);
  }
}
