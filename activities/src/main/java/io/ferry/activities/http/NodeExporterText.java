package io.ferry.activities.http;

import io.ferry.activities.port.NodeMetricsPort.NodeMetrics;

/** Reads the few series the soak's watch needs from node exporter's text exposition format. */
final class NodeExporterText {

  private NodeExporterText() {}

  static NodeMetrics metrics(String first, String second) {
    double[] a = cpu(first);
    double[] b = cpu(second);
    double total = b[0] - a[0];
    double idle = b[1] - a[1];
    double cpu = total <= 0 ? 0 : 100.0 * (1 - idle / total);
    double memTotal = value(second, "node_memory_MemTotal_bytes", null);
    double memAvailable = value(second, "node_memory_MemAvailable_bytes", null);
    double size = value(second, "node_filesystem_size_bytes", "mountpoint=\"/\"");
    double avail = value(second, "node_filesystem_avail_bytes", "mountpoint=\"/\"");
    return new NodeMetrics(
        cpu, 100.0 * (1 - memAvailable / memTotal), size == 0 ? 0 : 100.0 * (1 - avail / size));
  }

  /** Sum of every CPU mode's seconds, and of the idle ones. */
  private static double[] cpu(String text) {
    double total = 0;
    double idle = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("node_cpu_seconds_total{")) {
        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        total += v;
        if (line.contains("mode=\"idle\"")) {
          idle += v;
        }
      }
    }
    return new double[] {total, idle};
  }

  private static double value(String text, String name, String label) {
    for (String line : text.split("\n")) {
      if ((line.startsWith(name + " ") || line.startsWith(name + "{"))
          && (label == null || line.contains(label))) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException(
        "node exporter reported no " + name + (label == null ? "" : "{" + label + "}"));
  }
}
