package io.ferry.activities.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.data.DataActivitiesImpl;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.activities.port.PostgresPort;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.CopyReport;
import io.ferry.contract.DataActivities.StructuredCopy;
import io.ferry.contract.DataActivities.TableCopySpec;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.PostgresTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The structured copy of weaviate-first, end to end into a real PostgreSQL. */
class StructuredCopyIntoPostgresTest {

  /** Enough keys for three COPY batches per run. */
  private static final int KEYS = 2 * DataActivitiesImpl.COPY_BATCH_ROWS + 5_678;

  private final EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
  private final PostgresJdbc jdbc = new PostgresJdbc(server.secrets());
  private final List<Integer> copyBatches = new CopyOnWriteArrayList<>();
  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final GeneratedHashes store = new GeneratedHashes(KEYS);

  @AfterEach
  void close() {
    env.close();
    jdbc.close();
  }

  /** The adapter, noting the size of each COPY it is asked for. */
  private PostgresPort recording() {
    return (PostgresPort)
        Proxy.newProxyInstance(
            PostgresPort.class.getClassLoader(),
            new Class<?>[] {PostgresPort.class},
            (proxy, method, args) -> {
              if (method.getName().equals("copyIn")) {
                copyBatches.add(((List<?>) args[3]).size());
              }
              try {
                return method.invoke(jdbc, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void copyStructured_streamsBoundedBatches_andARetryCopiesAfresh() throws Exception {
    env.registerActivitiesImplementations(
        new DataActivitiesImpl(recording(), null, store, null, null));
    DataActivities data =
        env.newActivityStub(
            DataActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    PostgresTarget target = server.target();
    String table = "sessions_" + UUID.randomUUID().toString().substring(0, 8);
    StructuredCopy request =
        new StructuredCopy(
            new MemoryStoreTarget("redis://127.0.0.1:6379/0", null),
            target,
            List.of(new TableCopySpec("session:*", table, GeneratedHashes.FIELDS)),
            "run-1/copy-structured");

    CopyReport first = data.copyStructured(request);
    CopyReport second = data.copyStructured(request); // a retry: truncates its own table

    assertThat(first.rowsByTable()).isEqualTo(Map.of(table, store.hashCount()));
    assertThat(second).isEqualTo(first);
    assertThat(jdbc.countRows(target, table)).isEqualTo(store.hashCount());
    assertThat(copyBatches).allMatch(n -> n <= DataActivitiesImpl.COPY_BATCH_ROWS);
    assertThat(copyBatches.stream().mapToLong(Integer::longValue).sum())
        .isEqualTo(2 * store.hashCount());
    assertThat(copyBatches).hasSize(6);

    List<List<String>> sample = new ArrayList<>();
    try (Connection c = server.admin(EmbeddedPostgresServer.DATABASE);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT source_key, \"user\", text, created FROM \""
                    + table
                    + "\" WHERE source_key <= 'session:00000009' ORDER BY source_key")) {
      while (r.next()) {
        sample.add(Arrays.asList(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
      }
    }
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(GeneratedHashes.row(i));
    }
    assertThat(sample).isEqualTo(expected);

    data.dropCopiedTables(request);
    assertThat(jdbc.table(target, table)).isEmpty();
  }

  @Test
  void keysThatScanReturnsTwice_areCopiedOnce() {
    GeneratedHashes hashes = new GeneratedHashes(5_000);
    // As SCAN does while the table is resized: each page repeats the last 100 keys of the one
    // before.
    MemoryStorePort repeating =
        new MemoryStorePort() {
          @Override
          public ScanPage scan(MemoryStoreTarget s, String pattern, String cursor, int count) {
            int from = Integer.parseInt(cursor);
            ScanPage page =
                hashes.scan(s, pattern, Integer.toString(Math.max(0, from - 100)), count);
            String next = page.last() ? "0" : Integer.toString(Math.max(0, from - 100) + count);
            return new ScanPage(page.keys(), next);
          }

          @Override
          public Map<String, StoredValue> read(MemoryStoreTarget s, List<String> keys) {
            return hashes.read(s, keys);
          }

          @Override
          public long delete(MemoryStoreTarget s, List<String> keys) {
            return hashes.delete(s, keys);
          }

          @Override
          public ScratchRun exerciseScratch(MemoryStoreTarget s, String prefix, int rounds) {
            return hashes.exerciseScratch(s, prefix, rounds);
          }
        };
    env.registerActivitiesImplementations(
        new DataActivitiesImpl(recording(), null, repeating, null, null));
    DataActivities data =
        env.newActivityStub(
            DataActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    PostgresTarget target = server.target();
    String table = "repeated_" + UUID.randomUUID().toString().substring(0, 8);
    StructuredCopy request =
        new StructuredCopy(
            new MemoryStoreTarget("redis://127.0.0.1:6379/0", null),
            target,
            List.of(new TableCopySpec("session:*", table, GeneratedHashes.FIELDS)),
            "run-1/copy-repeated");

    CopyReport report = data.copyStructured(request);

    assertThat(report.rowsByTable()).isEqualTo(Map.of(table, hashes.hashCount()));
    assertThat(jdbc.countRows(target, table)).isEqualTo(hashes.hashCount());
    data.dropCopiedTables(request);
  }
}
