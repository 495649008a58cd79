package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.plan.MemoryStoreTarget;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Redis-protocol stores by URL. A store first touched is seeded with {@value #MEMORY_ITEMS} memory
 * items ({@code memory:*}, JSON), {@value #MALFORMED} malformed ones, and hashes for each
 * structured pattern (40, 25, 15, ... keys). The ledger shows a store as one resource with key
 * counts by prefix.
 */
final class SimMemoryStore implements MemoryStorePort {

  static final int MEMORY_ITEMS = 300;
  static final int MALFORMED = 3;
  static final List<Integer> HASH_COUNTS = List.of(40, 25, 15, 10);

  /** Patterns and columns seeded when a store is touched without a plan. */
  static final List<Structured> DEFAULT_STRUCTURED =
      List.of(
          new Structured("billing:*", List.of("account", "amount", "currency", "created_at")),
          new Structured("job:*", List.of("job_id", "status", "started_at")));

  private static final String[] SPEAKERS = {"user", "assistant"};
  private static final String[] DOMAINS = {"personal", "payready", "paragonrx", "billing", "jobs"};
  private static final String[] TOPICS = {
    "the invoice run for March", "the Weaviate migration plan", "refill reminders for ParagonRX",
    "PayReady's settlement delay", "moving the nightly jobs to 02:00", "the on-call rota",
    "the pricing page copy", "rotating the API keys", "the customer churn report",
    "the GPU node upgrade", "the onboarding checklist", "the billing dispute with Acme"
  };
  private static final String[] VERBS = {
    "We agreed to revisit",
    "Remind me about",
    "Summarise what we decided on",
    "Draft a note on",
    "What is the status of",
    "Schedule a follow-up on"
  };
  private static final Instant BASE = Instant.parse("2025-06-02T08:00:00Z");

  record Structured(String pattern, List<String> columns) {}

  private final SimWorld world;
  private final Map<String, TreeMap<String, StoredValue>> stores = new TreeMap<>();

  SimMemoryStore(SimWorld world) {
    this.world = world;
  }

  /** The number of well-formed items that keeps the malformed ones within {@code maxShare}. */
  static int itemsWithin(double maxShare) {
    if (maxShare <= 0 || maxShare >= 1) {
      return MEMORY_ITEMS;
    }
    return (int) Math.min(100_000, Math.max(MEMORY_ITEMS, Math.ceil(MALFORMED / maxShare)));
  }

  void seed(String url, List<Structured> structured) {
    seed(url, structured, MEMORY_ITEMS);
  }

  void seed(String url, List<Structured> structured, int items) {
    synchronized (world) {
      if (stores.containsKey(url)) {
        return;
      }
      TreeMap<String, StoredValue> keys = new TreeMap<>();
      for (int i = 0; i < items; i++) {
        String thread = String.format("thread-%02d", i % 17);
        String text =
            VERBS[i % VERBS.length]
                + " "
                + TOPICS[(i * 7) % TOPICS.length]
                + " (note "
                + (i + 1)
                + ")";
        String json =
            "{\"text\":\""
                + text
                + "\",\"threadId\":\""
                + thread
                + "\",\"speaker\":\""
                + SPEAKERS[i % 2]
                + "\",\"domain\":\""
                + DOMAINS[(i / 3) % DOMAINS.length]
                + "\",\"timestamp\":\""
                + BASE.plus(37L * i, ChronoUnit.MINUTES)
                + "\"}";
        keys.put(String.format("memory:%s:%04d", thread, i), new StoredValue.Text(json));
      }
      keys.put("memory:import:0001", new StoredValue.Text("text=remember the milk; not JSON {"));
      keys.put(
          "memory:import:0002",
          new StoredValue.Text("{\"threadId\":\"thread-03\",\"speaker\":\"user\"}"));
      keys.put("memory:import:0003", new StoredValue.Text(""));
      for (int s = 0; s < structured.size(); s++) {
        Structured st = structured.get(s);
        String prefix = st.pattern().replaceAll("[*?].*$", "");
        int count = HASH_COUNTS.get(Math.min(s, HASH_COUNTS.size() - 1));
        for (int i = 1; i <= count; i++) {
          Map<String, String> fields = new LinkedHashMap<>();
          for (String column : st.columns()) {
            fields.put(column, value(column, i));
          }
          keys.put(prefix + String.format("%04d", i), new StoredValue.Hash(fields));
        }
      }
      stores.put(url, keys);
      put(url, keys);
    }
  }

  private static String value(String column, int i) {
    if (column.contains("amount")) {
      return String.format("%d.%02d", 10 + (i * 37) % 900, (i * 13) % 100);
    }
    if (column.contains("currency")) {
      return i % 4 == 0 ? "EUR" : "USD";
    }
    if (column.endsWith("_at") || column.contains("time") || column.contains("date")) {
      return BASE.plus(i * 3L, ChronoUnit.HOURS).toString();
    }
    if (column.equals("status")) {
      return new String[] {"done", "done", "failed", "running"}[i % 4];
    }
    if (column.contains("account")) {
      return String.format("acct-%03d", 100 + i % 12);
    }
    return column + "-" + i;
  }

  private TreeMap<String, StoredValue> store(MemoryStoreTarget target) {
    String url = Failures.require("url", target.url());
    if (!stores.containsKey(url)) {
      seed(url, DEFAULT_STRUCTURED);
    }
    return stores.get(url);
  }

  /**
   * Runs the rounds on the store's keys for real (the keys exist while it runs) and removes them;
   * each round takes 1.2 ms plus 0.01 ms per round, so the p95 is fixed by the round count.
   */
  @Override
  public ScratchRun exerciseScratch(MemoryStoreTarget target, String prefix, int rounds) {
    synchronized (world) {
      TreeMap<String, StoredValue> keys = store(target);
      List<java.time.Duration> latencies = new ArrayList<>();
      try {
        for (int i = 0; i < rounds; i++) {
          keys.put(prefix + "list", new StoredValue.Text("v" + i));
          keys.remove(prefix + "list");
          keys.put(prefix + "counter", new StoredValue.Text(Integer.toString(i + 1)));
          keys.put(prefix + "ttl", new StoredValue.Text("v" + i));
          latencies.add(java.time.Duration.ofNanos(1_200_000L + 10_000L * (i % 100)));
        }
      } finally {
        keys.keySet().removeIf(k -> k.startsWith(prefix));
      }
      long left = keys.keySet().stream().filter(k -> k.startsWith(prefix)).count();
      return new ScratchRun(latencies, left);
    }
  }

  @Override
  public ScanPage scan(MemoryStoreTarget target, String pattern, String cursor, int count) {
    synchronized (world) {
      TreeMap<String, StoredValue> keys = store(target);
      Pattern glob = glob(pattern);
      int start;
      try {
        start = Integer.parseInt(cursor);
      } catch (NumberFormatException e) {
        throw Failures.invalidInput("invalid cursor " + cursor);
      }
      // The cursor walks the whole key space, as SCAN does; MATCH filters each page.
      List<String> all = new ArrayList<>(keys.keySet());
      int end = Math.min(all.size(), start + Math.max(1, count));
      List<String> page =
          all.subList(Math.min(start, all.size()), end).stream()
              .filter(k -> glob.matcher(k).matches())
              .toList();
      return new ScanPage(page, end >= all.size() ? "0" : Integer.toString(end));
    }
  }

  @Override
  public Map<String, StoredValue> read(MemoryStoreTarget target, List<String> keys) {
    synchronized (world) {
      TreeMap<String, StoredValue> store = store(target);
      Map<String, StoredValue> out = new LinkedHashMap<>();
      for (String k : keys) {
        StoredValue v = store.get(k);
        if (v != null) {
          out.put(k, v);
        }
      }
      return out;
    }
  }

  /** The application writing to the old store, as it may until the switch. */
  void write(MemoryStoreTarget target, String key, StoredValue value) {
    synchronized (world) {
      TreeMap<String, StoredValue> store = store(target);
      store.put(key, value);
      put(target.url(), store);
    }
  }

  @Override
  public long delete(MemoryStoreTarget target, List<String> keys) {
    synchronized (world) {
      TreeMap<String, StoredValue> store = store(target);
      long deleted = keys.stream().filter(k -> store.remove(k) != null).count();
      if (deleted > 0) {
        put(target.url(), store);
      }
      return deleted;
    }
  }

  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : Failures.require("pattern", pattern).toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private void put(String url, TreeMap<String, StoredValue> keys) {
    Map<String, Integer> byPrefix = new TreeMap<>();
    for (String k : keys.keySet()) {
      int colon = k.indexOf(':');
      byPrefix.merge("keys." + (colon > 0 ? k.substring(0, colon) : "other"), 1, Integer::sum);
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put("keys", Integer.toString(keys.size()));
    byPrefix.forEach((p, n) -> a.put(p, Integer.toString(n)));
    world.ledger.put(new Resource("memory-store", url, a));
  }
}
