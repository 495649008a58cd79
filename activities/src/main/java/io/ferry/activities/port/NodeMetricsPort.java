package io.ferry.activities.port;

/** A node exporter's view of its host: CPU, memory and root disk use, in percent. */
public interface NodeMetricsPort {

  /** Reads {@code metricsUrl} twice, {@code spacingMillis} apart, for the CPU's busy share. */
  NodeMetrics sample(String metricsUrl, long spacingMillis);

  record NodeMetrics(double cpuPercent, double memoryPercent, double diskPercent) {}
}
