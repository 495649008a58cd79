package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.report.HistoryReader;
import io.ferry.report.MigrationRecord;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.RunbookState;
import io.ferry.worker.ExitCodes;
import io.temporal.testing.TestWorkflowEnvironment;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration report, written by a rehearsal and by {@code ferry report} against a server. */
class ReportCommandTest {

  static final String ID = "weaviate-first-orchestra-prod";

  @TempDir Path dir;

  @Test
  void rehearsedRollback_reportShownByChromium_hasTimelineGatesUndosFiguresAndLog()
      throws Exception {
    assumeTrue(
        Chromium.installed(),
        "no Chromium at " + Chromium.BINARY + " (Debian package chromium; .ci/run installs it)");
    Path page = dir.resolve("report.html");

    Cli.Run run =
        Cli.offline()
            .run(
                "rehearse",
                "weaviate-first",
                "--fail-at",
                "switch-dns",
                "--report",
                page.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK); // rolled back as asked
    assertThat(run.out()).contains("report: " + page.toAbsolutePath());
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("src=");

    String dom = Chromium.dumpDom(page, dir);
    assertThat(section(dom, "state")).contains("rolled-back");
    assertThat(section(dom, "timeline")).contains("<svg class=\"timeline\"").contains("switch-dns");
    assertThat(row(dom, "data-step=\"switch-dns\"")).contains("injected fault");
    assertThat(row(dom, "data-gate=\"approve-dns-cutover\""))
        .contains("approved")
        .contains("rehearsal");
    assertThat(row(dom, "data-undo=\"create-vector-droplet\"")).contains("compensated");
    assertThat(row(dom, "data-undo=\"switch-app-config\"")).contains("compensated");
    assertThat(count(section(dom, "figures"), "<svg class=\"chart\"")).isGreaterThanOrEqualTo(5);
    assertThat(section(dom, "figures")).contains("pgbench throughput").contains("1240 TPS");
    assertThat(section(dom, "operator-log")).contains("approve").contains("approve-dns-cutover");

    BufferedImage shot = ImageIO.read(Chromium.screenshot(page, dir, 900).toFile());
    assertThat(pixels(shot, 0xbf8700))
        .as("the timeline's bars of undone steps are drawn")
        .isGreaterThan(100);
  }

  @Test
  void reportOfACompletedRun_isReadFromTheServersHistory() throws Exception {
    Roadmap roadmap = Roadmaps.require("weaviate-first");
    PlanFiles.Loaded plan = PlanFiles.example(roadmap);
    SimulatedFleet fleet = new SimulatedFleet(FaultPlan.none());
    fleet.seed(plan.plan());
    Path page = dir.resolve("from-server.html");
    try (TestWorkflowEnvironment env = Rehearsal.environment(fleet)) {
      Rehearsal rehearsal =
          new Rehearsal(
              roadmap,
              plan,
              fleet,
              null,
              null,
              new PrintWriter(new StringWriter()),
              Duration.ofMinutes(2));
      assertThat(rehearsal.run(env, System.nanoTime())).isEqualTo(ExitCodes.OK);

      Cli.Run run =
          new Cli((address, namespace) -> env.getWorkflowClient())
              .run("report", ID, "-o", page.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
      assertThat(run.out()).contains("wrote the report of " + ID + " (completed)");
      MigrationRecord record =
          new HistoryReader(
                  env.getWorkflowClient(),
                  "https://temporal-ui.example/",
                  Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
              .read(
                  ID,
                  id -> {
                    throw new AssertionError("a completed run is read from its history");
                  });
      assertThat(record.status().state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(record.executionStatus()).isEqualTo("completed");
      assertThat(record.webUi())
          .isEqualTo(
              "https://temporal-ui.example/namespaces/default/workflows/"
                  + ID
                  + "/"
                  + record.runId()
                  + "/history");
      assertThat(record.figures())
          .anySatisfy(
              f -> {
                assertThat(f.name()).isEqualTo("pgbench throughput");
                assertThat(f.unit()).isEqualTo("TPS");
                assertThat(f.limit()).isEqualTo(500.0);
              });
    }
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html).contains("purge-memory-keys").contains("Nothing was undone.");
  }

  /** The element with {@code id="name"} up to the next section. */
  private static String section(String dom, String id) {
    int start = dom.indexOf("id=\"" + id + "\"");
    assertThat(start).as("the page has #%s", id).isNotNegative();
    int end = dom.indexOf("<section", start + 1);
    return dom.substring(start, end < 0 ? dom.length() : end);
  }

  private static String row(String dom, String marker) {
    int start = dom.indexOf(marker);
    assertThat(start).as("the page has a row %s", marker).isNotNegative();
    return dom.substring(start, dom.indexOf("</tr>", start));
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static int pixels(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
