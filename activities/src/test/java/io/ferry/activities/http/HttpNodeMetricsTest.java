package io.ferry.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.port.NodeMetricsPort.NodeMetrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpNodeMetrics} against a local HTTP server answering {@code /metrics} as node exporter
 * 1.8 does (HELP/TYPE lines, labels, exponent notation, several filesystems, guest CPU series).
 */
class HttpNodeMetricsTest {

  private HttpServer server;
  private final List<String> pages = new CopyOnWriteArrayList<>();
  private final AtomicInteger reads = new AtomicInteger();
  private int status = 200;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          int read = reads.getAndIncrement();
          byte[] body =
              pages.get(Math.min(read, pages.size() - 1)).getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void busyShareOfTwoReads_memoryAndRootDisk_comeFromTheRightSeries() {
    pages.add(page(1000.0, 100.0, "2.08268416e+09", "4.8e+10"));
    // each of 2 CPUs: 2 s idle, 5 s user, 1 s system between the reads
    pages.add(page(1002.0, 105.0, "2.08268416e+09", "4.8e+10"));

    NodeMetrics m = new HttpNodeMetrics().sample(url(), 10);

    assertThat(reads).hasValue(2);
    assertThat(m.cpuPercent()).isCloseTo(75.0, within(0.001));
    assertThat(m.memoryPercent()).isCloseTo(75.0, within(0.001));
    assertThat(m.diskPercent()).isCloseTo(70.0, within(0.001));
  }

  @Test
  void idleHost_isZeroCpu() {
    pages.add(page(1000.0, 100.0, "6.24e+09", "1.5e+11"));
    pages.add(page(1010.0, 100.0, "6.24e+09", "1.5e+11"));

    NodeMetrics m = new HttpNodeMetrics().sample(url(), 10);

    assertThat(m.cpuPercent()).isCloseTo(0.0, within(0.001));
    assertThat(m.diskPercent()).isCloseTo(6.25, within(0.001));
  }

  @Test
  void missingSeries_isNamed_andAnErrorStatusIsReported() {
    pages.add(page(1000.0, 100.0, "6.24e+09", "1.5e+11").replace("node_memory_MemTotal", "x"));

    assertThatThrownBy(() -> new HttpNodeMetrics().sample(url(), 1))
        .hasMessageContaining("node_memory_MemTotal_bytes");

    status = 503;
    assertThatThrownBy(() -> new HttpNodeMetrics().sample(url(), 1))
        .hasMessageContaining(url() + " answered 503");
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
  }

  /** A node exporter page for 2 CPUs, 8 GiB of memory and a 160 GB root disk. */
  private static String page(double idle, double user, String memAvailable, String rootAvail) {
    // system time grows with user time so that the two reads differ in more than one mode
    double system = 50.0 + (user - 100.0) / 5.0;
    StringBuilder s = new StringBuilder();
    s.append("# HELP go_gc_duration_seconds A summary of the pause duration.\n")
        .append("# TYPE go_gc_duration_seconds summary\n")
        .append("go_gc_duration_seconds{quantile=\"0\"} 2.3579e-05\n")
        .append("# HELP node_cpu_guest_seconds_total Seconds the CPUs spent in guests.\n")
        .append("# TYPE node_cpu_guest_seconds_total counter\n");
    for (int cpu = 0; cpu < 2; cpu++) {
      s.append("node_cpu_guest_seconds_total{cpu=\"" + cpu + "\",mode=\"nice\"} 9999\n");
    }
    s.append("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n")
        .append("# TYPE node_cpu_seconds_total counter\n");
    for (int cpu = 0; cpu < 2; cpu++) {
      String c = "node_cpu_seconds_total{cpu=\"" + cpu + "\",mode=\"";
      s.append(c + "idle\"} " + idle + "\n")
          .append(c + "iowait\"} 3.14\n")
          .append(c + "irq\"} 0\n")
          .append(c + "nice\"} 0.41\n")
          .append(c + "softirq\"} 1.2\n")
          .append(c + "steal\"} 0\n")
          .append(c + "system\"} " + system + "\n")
          .append(c + "user\"} " + user + "\n");
    }
    return s.append("# HELP node_filesystem_avail_bytes Filesystem space available.\n")
        .append("# TYPE node_filesystem_avail_bytes gauge\n")
        .append(
            "node_filesystem_avail_bytes{device=\"/dev/vda15\",fstype=\"vfat\",mountpoint=\"/boot/efi\"} 1.0e+08\n")
        .append(
            "node_filesystem_avail_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"} "
                + rootAvail
                + "\n")
        .append(
            "node_filesystem_avail_bytes{device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"} 8.2e+08\n")
        .append("# HELP node_filesystem_size_bytes Filesystem size in bytes.\n")
        .append("# TYPE node_filesystem_size_bytes gauge\n")
        .append(
            "node_filesystem_size_bytes{device=\"/dev/vda15\",fstype=\"vfat\",mountpoint=\"/boot/efi\"} 1.1e+08\n")
        .append(
            "node_filesystem_size_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"} 1.6e+11\n")
        .append(
            "# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes.\n")
        .append("# TYPE node_memory_MemAvailable_bytes gauge\n")
        .append("node_memory_MemAvailable_bytes " + memAvailable + "\n")
        .append("# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.\n")
        .append("# TYPE node_memory_MemTotal_bytes gauge\n")
        .append("node_memory_MemTotal_bytes 8.33073664e+09\n")
        .toString();
  }
}
