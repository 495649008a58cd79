package io.ferry.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Small inline SVG charts: no script, no fonts or images from anywhere else. */
final class Charts {

  static final int WIDTH = 260;
  static final int HEIGHT = 60;

  private Charts() {}

  /**
   * A figure's values over time as a line with a dot per value (a single value as a bar), and its
   * limit as a dashed line when it has one.
   */
  static String figure(MigrationRecord.Figure figure) {
    List<MigrationRecord.Point> points = figure.points();
    double max = points.stream().mapToDouble(MigrationRecord.Point::value).max().orElse(0);
    double min = points.stream().mapToDouble(MigrationRecord.Point::value).min().orElse(0);
    if (figure.limit() != null) {
      max = Math.max(max, figure.limit());
      min = Math.min(min, figure.limit());
    }
    min = Math.min(min, 0);
    double span = max - min == 0 ? 1 : max - min;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                    + " data-figure=\"%s\"><title>%s</title>",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT,
                Html.escape(figure.name()),
                Html.escape(figure.name() + " in " + figure.step())));
    svg.append(
        "<line x1=\"0\" y1=\""
            + (HEIGHT - 1)
            + "\" x2=\""
            + WIDTH
            + "\" y2=\""
            + (HEIGHT - 1)
            + "\" class=\"axis\"/>");
    if (points.size() == 1) {
      double h = (points.get(0).value() - min) / span * (HEIGHT - 6);
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" x=\"4\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"/>",
              HEIGHT - 1 - h,
              WIDTH / 3,
              h));
    } else {
      StringBuilder line = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (int i = 0; i < points.size(); i++) {
        double x = 4 + i * (WIDTH - 8.0) / (points.size() - 1);
        double y = HEIGHT - 1 - (points.get(i).value() - min) / span * (HEIGHT - 6);
        line.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        dots.append(
            String.format(
                Locale.ROOT, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>", x, y));
      }
      svg.append("<polyline class=\"line\" points=\"").append(line).append("\"/>").append(dots);
    }
    if (figure.limit() != null) {
      double y = HEIGHT - 1 - (figure.limit() - min) / span * (HEIGHT - 6);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"limit\" x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
              y,
              WIDTH,
              y));
    }
    return svg.append("</svg>").toString();
  }

  /** One timeline bar: a step from start to end, placed on the run's span. */
  record Bar(String label, String state, Instant start, Instant end) {}

  /** The run's steps as bars on one time axis, one row each, at least a sliver wide. */
  static String timeline(List<Bar> bars, Instant from, Instant to) {
    int labelWidth = 230;
    int width = 900;
    int row = 18;
    double span = Math.max(1, Duration.between(from, to).toMillis());
    int height = bars.size() * row + 24;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg class=\"timeline\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                    + " %d\"><title>timeline of the steps</title>",
                width,
                height,
                width,
                height));
    int plot = width - labelWidth - 10;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double x = labelWidth + Duration.between(from, bar.start()).toMillis() / span * plot;
      double w = Math.max(2, Duration.between(bar.start(), bar.end()).toMillis() / span * plot);
      int y = i * row + 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"0\" y=\"%d\" class=\"label\">%s</text><rect class=\"step %s\" x=\"%.1f\""
                  + " y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
              y + 12,
              Html.escape(bar.label()),
              Html.escape(bar.state()),
              x,
              y,
              w,
              row - 6,
              Html.escape(bar.label() + ": " + bar.state())));
    }
    int axis = bars.size() * row + 16;
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" class=\"label\">%s</text><text x=\"%d\" y=\"%d\""
                + " class=\"label\" text-anchor=\"end\">%s</text>",
            labelWidth,
            axis,
            Html.escape(Html.time(from)),
            width,
            axis,
            Html.escape(Html.time(to))));
    return svg.append("</svg>").toString();
  }
}
