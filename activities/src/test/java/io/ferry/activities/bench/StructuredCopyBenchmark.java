package io.ferry.activities.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.data.DataActivitiesImpl;
import io.ferry.activities.port.MemoryStorePort.ScanPage;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import io.ferry.activities.postgres.CsvFile;
import io.ferry.activities.postgres.EmbeddedPostgresServer;
import io.ferry.activities.postgres.GeneratedHashes;
import io.ferry.activities.postgres.PostgresJdbc;
import io.ferry.activities.redis.RedisMemoryStore;
import io.ferry.activities.redis.RedisTestServer;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.StructuredCopy;
import io.ferry.contract.DataActivities.TableCopySpec;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.PostgresTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Rows per second of Ferry's structured copy from a real Redis ({@link RedisTestServer}: {@code
 * RedisMemoryStore} → {@code DataActivitiesImpl.copyStructured} → {@code PostgresJdbc.copyIn}) into
 * the embedded PostgreSQL, against its two stages measured alone in the same run: reading the same
 * keys (SCAN and one pipelined HGETALL per page, nothing else) and {@code psql \copy} of the same
 * rows as CSV, in the order SCAN gives them. The slower stage is the most the copy can do. Rounds
 * alternate the three, and each prints CPU time per row: this JVM's, redis-server's, PostgreSQL's
 * and, for psql, the child process's. Needs psql on the PATH (Debian: {@code apt-get install -y
 * postgresql-client}). On demand only; see README "Benchmarks". Rows: {@code -Dferry.bench.rows}
 * (default 200000); rounds: {@code -Dferry.bench.rounds} (default 3, after one warm-up).
 */
@Tag("benchmark")
class StructuredCopyBenchmark {

  private static final String PATTERN = "session:*";

  @Test
  void structuredCopyFromRedis_versus_itsSlowerStageAlone() throws Exception {
    assumeTrue(
        psqlInstalled(),
        "this benchmark needs psql on the PATH: apt-get install -y postgresql-client");
    int keys = Integer.getInteger("ferry.bench.rows", 200_000);
    int rounds = Integer.getInteger("ferry.bench.rounds", 3);
    EmbeddedPostgresServer server = EmbeddedPostgresServer.shared();
    PostgresTarget target = server.target();
    long postmaster = server.postmasterPid();
    GeneratedHashes source = new GeneratedHashes(keys);
    long rows = source.hashCount();
    List<String> columns = new ArrayList<>(List.of(DataActivitiesImpl.SOURCE_KEY_COLUMN));
    columns.addAll(GeneratedHashes.FIELDS);
    Path csv = Files.createTempFile("ferry-bench", ".csv");

    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (RedisTestServer redis = RedisTestServer.start(RedisTestServer.Options.plain());
        Jedis admin = new Jedis("127.0.0.1", redis.port(), 60_000);
        RedisMemoryStore store = new RedisMemoryStore(SecretResolver.withEnvironment(n -> null));
        PostgresJdbc jdbc = new PostgresJdbc(server.secrets())) {
      seed(admin, source, keys);
      // The CSV holds the rows in the order SCAN gives them, as a dump for psql would: the
      // primary key's index costs PostgreSQL less for keys in ascending order than in hash order.
      int[] order = scanOrder(admin);
      CsvFile.write(
          csv,
          columns.size(),
          "bench",
          order.length,
          i -> GeneratedHashes.isHash(order[i]),
          i -> GeneratedHashes.row(order[i]));
      env.registerActivitiesImplementations(new DataActivitiesImpl(jdbc, null, store, null, null));
      DataActivities data =
          env.newActivityStub(
              DataActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofHours(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      MemoryStoreTarget from = new MemoryStoreTarget(redis.url(0), null);
      Measured ferryTotal = Measured.NONE;
      Measured readTotal = Measured.NONE;
      Measured psqlTotal = Measured.NONE;
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) { // round 0 warms up
        StructuredCopy copy =
            new StructuredCopy(
                from,
                target,
                List.of(new TableCopySpec(PATTERN, "bench_ferry", GeneratedHashes.FIELDS)),
                "bench/copy-structured-" + round);
        long[] copied = new long[1];
        Measured ferry =
            Measured.of(
                rows,
                admin,
                postmaster,
                () -> copied[0] = data.copyStructured(copy).rowsByTable().get("bench_ferry"));
        data.dropCopiedTables(copy);

        long[] read = new long[1];
        Measured readAlone =
            Measured.of(rows, admin, postmaster, () -> read[0] = readHashes(admin));

        jdbc.createTable(target, "bench_psql", columns, "ferry:bench");
        Measured psql =
            Measured.of(rows, admin, postmaster, () -> runPsqlCopy(server, csv, columns));
        long landed = jdbc.countRows(target, "bench_psql");
        jdbc.dropTable(target, "bench_psql");
        if (copied[0] != rows || read[0] != rows || landed != rows) {
          throw new AssertionError(
              "copied " + copied[0] + ", read " + read[0] + ", psql " + landed + "; not " + rows);
        }
        double slower = Math.min(readAlone.perSecond(), psql.perSecond());
        print(
            "round %d%s: Ferry %s | HGETALL read alone %s | psql \\copy alone %s | Ferry / slower"
                + " stage %.1f %%",
            round,
            round == 0 ? " (warm-up)" : "",
            ferry,
            readAlone,
            psql,
            100 * ferry.perSecond() / slower);
        if (round > 0) {
          ferryTotal = ferryTotal.plus(ferry);
          readTotal = readTotal.plus(readAlone);
          psqlTotal = psqlTotal.plus(psql);
          ratios.add(ferry.perSecond() / slower);
        }
      }
      double slower = Math.min(readTotal.perSecond(), psqlTotal.perSecond());
      print(
          "structured copy of %,d rows (%,d keys, %,d bytes of CSV), %d rounds:",
          rows, keys, Files.size(csv), rounds);
      print("  Ferry, real Redis -> copyStructured -> copyIn: %s", ferryTotal);
      print("  SCAN + pipelined HGETALL alone:                 %s", readTotal);
      print("  psql \\copy of the same rows alone:              %s", psqlTotal);
      print(
          "  Ferry / slower stage (%s):          %.1f %% (target >= 80 %%)",
          readTotal.perSecond() < psqlTotal.perSecond() ? "the read" : "psql",
          100 * ferryTotal.perSecond() / slower);
      double bound =
          Runtime.getRuntime().availableProcessors()
              / (readTotal.cpuPerRow() + psqlTotal.cpuPerRow());
      print(
          "  the most %d cores allow a copy doing both stages' work (their CPU per row added):"
              + " %,.0f rows/s = %.1f %% of the slower stage",
          Runtime.getRuntime().availableProcessors(), bound, 100 * bound / slower);
      print(
          "  median of the per-round ratios:                 %.1f %%",
          100 * ratios.stream().sorted().toList().get(ratios.size() / 2));
    } finally {
      env.close();
      Files.deleteIfExists(csv);
    }
  }

  /** The generated keys into Redis: hashes with HSET, the odd string with SET. */
  private static void seed(Jedis admin, GeneratedHashes source, int keys) {
    long start = System.nanoTime();
    admin.flushAll();
    Pipeline pipe = admin.pipelined();
    String cursor = "0";
    do {
      ScanPage page = source.scan(null, PATTERN, cursor, 1000);
      for (Map.Entry<String, StoredValue> e : source.read(null, page.keys()).entrySet()) {
        if (e.getValue() instanceof StoredValue.Hash hash) {
          pipe.hset(e.getKey(), hash.fields());
        } else if (e.getValue() instanceof StoredValue.Text text) {
          pipe.set(e.getKey(), text.value());
        }
      }
      pipe.sync();
      cursor = page.cursor();
    } while (!"0".equals(cursor));
    pipe.close();
    print("seeded %,d keys in %.1f s", keys, (System.nanoTime() - start) / 1e9);
  }

  /** The generated keys' numbers in the order SCAN returns them (each once). */
  private static int[] scanOrder(Jedis jedis) {
    ScanParams params = new ScanParams().match(PATTERN).count(500);
    String cursor = ScanParams.SCAN_POINTER_START;
    Set<String> seen = new LinkedHashSet<>();
    do {
      ScanResult<String> page = jedis.scan(cursor, params);
      seen.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    return seen.stream()
        .mapToInt(key -> Integer.parseInt(key.substring(key.indexOf(':') + 1)))
        .toArray();
  }

  /** The read stage alone: SCAN pages as Ferry does, one pipelined HGETALL per page. */
  private static long readHashes(Jedis jedis) {
    ScanParams params = new ScanParams().match(PATTERN).count(500);
    String cursor = ScanParams.SCAN_POINTER_START;
    long hashes = 0;
    do {
      ScanResult<String> page = jedis.scan(cursor, params);
      List<Response<Map<String, String>>> answers = new ArrayList<>(page.getResult().size());
      Pipeline pipe = jedis.pipelined();
      page.getResult().forEach(k -> answers.add(pipe.hgetAll(k)));
      pipe.sync();
      for (Response<Map<String, String>> answer : answers) {
        try {
          if (!answer.get().isEmpty()) {
            hashes++;
          }
        } catch (JedisDataException e) {
          // a string among the hashes: not a row
        }
      }
      cursor = page.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    return hashes;
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

  private static void print(String format, Object... args) {
    System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  /**
   * Rows, wall time and CPU time of one measurement: this JVM's (all threads), its reaped child
   * processes' (psql) and redis-server's (from its INFO). PostgreSQL's server CPU is not counted.
   */
  record Measured(
      long rows,
      double seconds,
      double jvmCpu,
      double childCpu,
      double redisCpu,
      double postgresCpu) {
    static final Measured NONE = new Measured(0, 0, 0, 0, 0, 0);

    interface Body {
      void run() throws Exception;
    }

    static Measured of(long rows, Jedis redis, long postmaster, Body body) throws Exception {
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long jvm = os.getProcessCpuTime();
      double children = childrenCpuSeconds();
      double server = redisCpuSeconds(redis);
      double postgres = processTreeCpuSeconds(postmaster);
      long start = System.nanoTime();
      body.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      // a backend ends just after its client; its CPU reaches the postmaster once it is reaped
      Thread.sleep(300);
      return new Measured(
          rows,
          seconds,
          (os.getProcessCpuTime() - jvm) / 1e9,
          childrenCpuSeconds() - children,
          redisCpuSeconds(redis) - server,
          processTreeCpuSeconds(postmaster) - postgres);
    }

    double perSecond() {
      return rows / seconds;
    }

    Measured plus(Measured o) {
      return new Measured(
          rows + o.rows,
          seconds + o.seconds,
          jvmCpu + o.jvmCpu,
          childCpu + o.childCpu,
          redisCpu + o.redisCpu,
          postgresCpu + o.postgresCpu);
    }

    @Override
    public String toString() {
      double perRow = 1e6 / rows;
      return String.format(
          Locale.ROOT,
          "%,.0f rows/s, CPU per row %.1f µs JVM + %.1f µs psql + %.1f µs redis-server + %.1f µs"
              + " PostgreSQL = %.1f µs",
          perSecond(),
          jvmCpu * perRow,
          childCpu * perRow,
          redisCpu * perRow,
          postgresCpu * perRow,
          cpuPerRow() * 1e6);
    }

    /** CPU seconds per row of every process the measurement ran. */
    double cpuPerRow() {
      return (jvmCpu + childCpu + redisCpu + postgresCpu) / rows;
    }

    /** cutime + cstime of /proc/self/stat: CPU of the children this JVM waited for. */
    private static double childrenCpuSeconds() throws Exception {
      long[] ticks = statTicks(Path.of("/proc/self/stat"));
      return (ticks[2] + ticks[3]) / 100.0;
    }

    /**
     * A server's CPU: the process's own and its reaped children's (PostgreSQL's ended backends),
     * plus its live children's own (the backends and background workers still running).
     */
    static double processTreeCpuSeconds(long pid) throws Exception {
      long[] parent = statTicks(Path.of("/proc/" + pid + "/stat"));
      long ticks = parent[0] + parent[1] + parent[2] + parent[3];
      List<Long> children =
          ProcessHandle.of(pid).stream()
              .flatMap(ProcessHandle::children)
              .map(ProcessHandle::pid)
              .toList();
      for (long child : children) {
        try {
          long[] c = statTicks(Path.of("/proc/" + child + "/stat"));
          ticks += c[0] + c[1];
        } catch (java.io.IOException e) {
          // ended between listing and reading: its time is in the parent's cutime now
        }
      }
      return ticks / 100.0;
    }

    /** utime, stime, cutime, cstime of a /proc stat file, in clock ticks (100 a second). */
    private static long[] statTicks(Path stat) throws java.io.IOException {
      String text = Files.readString(stat);
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) " the state is field 3, so fields 14 to 17 are at 11 to 14
      return new long[] {
        Long.parseLong(fields[11]),
        Long.parseLong(fields[12]),
        Long.parseLong(fields[13]),
        Long.parseLong(fields[14])
      };
    }

    private static double redisCpuSeconds(Jedis redis) {
      double cpu = 0;
      for (String line : redis.info("cpu").split("\r?\n")) {
        if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
          cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return cpu;
    }
  }
}
