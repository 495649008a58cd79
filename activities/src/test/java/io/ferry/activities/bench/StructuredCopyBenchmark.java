package io.ferry.activities.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.activities.data.DataActivitiesImpl;
import io.ferry.activities.postgres.CsvFile;
import io.ferry.activities.postgres.EmbeddedPostgresServer;
import io.ferry.activities.postgres.GeneratedHashes;
import io.ferry.activities.postgres.PostgresJdbc;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.StructuredCopy;
import io.ferry.contract.DataActivities.TableCopySpec;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.PostgresTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rows per second of Ferry's structured copy (memory store → {@code DataActivitiesImpl
 * .copyStructured} → {@code PostgresJdbc.copyIn}, in its COPY batches) against {@code psql \copy}
 * of the same rows as the same CSV, into the same embedded PostgreSQL. Needs psql on the PATH
 * (Debian: {@code apt-get install -y postgresql-client}). Run on demand only; see README
 * "Benchmarks". Rows: {@code -Dferry.bench.rows} (default 500000); rounds: {@code
 * -Dferry.bench.rounds} (default 5, best of each kept).
 */
@Tag("benchmark")
class StructuredCopyBenchmark {

  @Test
  void structuredCopy_versus_psqlCopy() throws Exception {
    assumeTrue(
        psqlInstalled(),
        "this benchmark needs psql on the PATH: apt-get install -y postgresql-client");
    int keys = Integer.getInteger("ferry.bench.rows", 500_000);
    int rounds = Integer.getInteger("ferry.bench.rounds", 5);
    EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
    PostgresTarget target = server.target();
    GeneratedHashes store = new GeneratedHashes(keys);
    long rows = store.hashCount();
    List<String> columns = new ArrayList<>(List.of(DataActivitiesImpl.SOURCE_KEY_COLUMN));
    columns.addAll(GeneratedHashes.FIELDS);

    Path csv = Files.createTempFile("ferry-bench", ".csv");
    CsvFile.write(
        csv, columns.size(), "bench", keys, GeneratedHashes::isHash, GeneratedHashes::row);

    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (PostgresJdbc jdbc = new PostgresJdbc(server.secrets())) {
      env.registerActivitiesImplementations(new DataActivitiesImpl(jdbc, null, store, null, null));
      DataActivities data =
          env.newActivityStub(
              DataActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofHours(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      double bestFerry = 0;
      double bestPsql = 0;
      double bestAdapter = 0;
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) { // round 0 warms up
        StructuredCopy copy =
            new StructuredCopy(
                new MemoryStoreTarget("redis://127.0.0.1:6379/0", null),
                target,
                List.of(new TableCopySpec("session:*", "bench_ferry", GeneratedHashes.FIELDS)),
                "bench/copy-structured-" + round);
        long started = System.nanoTime();
        long copied = data.copyStructured(copy).rowsByTable().get("bench_ferry");
        double ferry = copied / seconds(started);
        data.dropCopiedTables(copy);

        jdbc.createTable(target, "bench_adapter", columns, "ferry:bench");
        int batchRows = DataActivitiesImpl.COPY_BATCH_ROWS;
        List<List<String>> batch = new ArrayList<>(batchRows);
        long adapterNanos = 0;
        for (int i = 0; i < keys; i++) {
          if (GeneratedHashes.isHash(i)) {
            batch.add(GeneratedHashes.row(i));
          }
          if (batch.size() == batchRows || (i == keys - 1 && !batch.isEmpty())) {
            long t = System.nanoTime();
            jdbc.copyIn(target, "bench_adapter", columns, batch);
            adapterNanos += System.nanoTime() - t;
            batch.clear();
          }
        }
        double adapter = rows / (adapterNanos / 1e9);
        jdbc.dropTable(target, "bench_adapter");

        jdbc.createTable(target, "bench_psql", columns, "ferry:bench");
        started = System.nanoTime();
        runPsqlCopy(server, csv, columns);
        double psql = rows / seconds(started);
        long landed = jdbc.countRows(target, "bench_psql");
        jdbc.dropTable(target, "bench_psql");
        if (copied != rows || landed != rows) {
          throw new AssertionError("copied " + copied + " and " + landed + ", expected " + rows);
        }
        if (round > 0) {
          bestFerry = Math.max(bestFerry, ferry);
          bestPsql = Math.max(bestPsql, psql);
          bestAdapter = Math.max(bestAdapter, adapter);
          ratios.add(ferry / psql);
        }
        System.out.printf(
            Locale.ROOT,
            "round %d%s: ferry %,.0f rows/s (copyIn alone %,.0f), psql \\copy %,.0f rows/s%n",
            round,
            round == 0 ? " (warm-up)" : "",
            ferry,
            adapter,
            psql);
      }
      System.out.printf(
          Locale.ROOT,
          "%nstructured copy of %,d rows (%,d bytes of CSV), best of %d rounds:%n"
              + "  Ferry copyStructured -> PostgresJdbc.copyIn : %,.0f rows/s%n"
              + "  psql \\copy of the same CSV                  : %,.0f rows/s%n"
              + "  ratio of the bests                          : %.1f %% (target >= 90 %%)%n"
              + "  median of the per-round ratios              : %.1f %%%n",
          rows,
          Files.size(csv),
          rounds,
          bestFerry,
          bestPsql,
          100 * bestFerry / bestPsql,
          100 * ratios.stream().sorted().toList().get(ratios.size() / 2));
    } finally {
      env.close();
      Files.deleteIfExists(csv);
    }
  }

  private static void runPsqlCopy(EmbeddedPostgresServer server, Path csv, List<String> columns)
      throws Exception {
    String columnList = String.join(", ", columns.stream().map(c -> '"' + c + '"').toList());
    ProcessBuilder pb =
        new ProcessBuilder(
                "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(server.port()),
                "-U",
                EmbeddedPostgresServer.ROLE,
                "-d",
                EmbeddedPostgresServer.DATABASE,
                "-c",
                "\\copy bench_psql (" + columnList + ") FROM '" + csv + "' WITH (FORMAT csv)")
            .inheritIO();
    pb.environment().put("PGPASSWORD", EmbeddedPostgresServer.PASSWORD);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new AssertionError("psql \\copy exited with " + exit);
    }
  }

  private static boolean psqlInstalled() {
    for (String dir : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(dir, "psql"))) {
        return true;
      }
    }
    return false;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
