package io.ferry.activities.sim;

import io.ferry.activities.port.NodeMetricsPort;

/**
 * Node exporters answering steady figures (CPU 35 %, memory 52 %, disk 41 %) unless a knob pushed
 * one higher.
 */
final class SimNodeMetrics implements NodeMetricsPort {

  private double cpu = 35;
  private double memory = 52;
  private double disk = 41;

  synchronized void set(String metric, double percent) {
    switch (metric) {
      case "cpu" -> cpu = percent;
      case "memory" -> memory = percent;
      case "disk" -> disk = percent;
      default -> throw new IllegalArgumentException("no metric " + metric);
    }
  }

  @Override
  public synchronized NodeMetrics sample(String metricsUrl, long spacingMillis) {
    return new NodeMetrics(cpu, memory, disk);
  }
}
