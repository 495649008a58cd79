package io.ferry.activities.sim;

import io.ferry.activities.ActivityStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated world's resources and the journal of every change, each attributed to the step that
 * made it ({@link ActivityStep#current()}). Thread-safe: activities run concurrently.
 */
public final class Ledger {

  private static final Logger log = LoggerFactory.getLogger(Ledger.class);

  private final TreeMap<String, Resource> resources = new TreeMap<>();
  private final List<LedgerChange> journal = new ArrayList<>();
  private final List<Consumer<LedgerChange>> listeners = new CopyOnWriteArrayList<>();

  /** Every resource by {@code kind/id}, sorted; an immutable copy. */
  public synchronized Map<String, Resource> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(resources));
  }

  public synchronized List<LedgerChange> journal() {
    return List.copyOf(journal);
  }

  /** Called with each change, in order, on the thread that made it. */
  public void addListener(Consumer<LedgerChange> listener) {
    listeners.add(listener);
  }

  /**
   * What changed from {@code before} to {@code after}, one line per resource, empty when equal.
   *
   * @param ignoreRetained leave out resources kept on purpose (backups)
   */
  public static List<String> differences(
      Map<String, Resource> before, Map<String, Resource> after, boolean ignoreRetained) {
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> lines = new ArrayList<>();
    for (String key : keys) {
      Resource a = before.get(key);
      Resource b = after.get(key);
      if (ignoreRetained && (a != null && a.retained() || b != null && b.retained())) {
        continue;
      }
      if (a == null) {
        lines.add(LedgerChange.created(b));
      } else if (b == null) {
        lines.add("- " + a.kind() + " " + a.id());
      } else if (!a.equals(b)) {
        lines.add(LedgerChange.changed(a, b));
      }
    }
    return List.copyOf(lines);
  }

  synchronized Optional<Resource> get(String kind, String id) {
    return Optional.ofNullable(resources.get(kind + "/" + id));
  }

  /** Creates or replaces the resource; records nothing when it is unchanged. */
  synchronized void put(Resource resource) {
    Resource before = resources.put(resource.key(), resource);
    if (resource.equals(before)) {
      return;
    }
    record(
        new LedgerChange(
            ActivityStep.current(), before == null ? "create" : "update", before, resource));
  }

  synchronized void remove(String kind, String id) {
    Resource before = resources.remove(kind + "/" + id);
    if (before != null) {
      record(new LedgerChange(ActivityStep.current(), "delete", before, null));
    }
  }

  private void record(LedgerChange change) {
    journal.add(change);
    log.debug("{} {}", change.step() == null ? "-" : change.step().activityId(), change.describe());
    for (Consumer<LedgerChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn("ledger listener failed on {}", change.describe(), e);
      }
    }
  }
}
