package io.ferry.roadmap.configflip;

import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.soak;

import io.ferry.roadmap.common.DnsCutover;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import java.util.List;

/**
 * The test roadmap's checklist: start the new backend, switch the app's settings to it, move DNS,
 * soak.
 */
public final class ConfigFlipSteps {
  private static final StepTable TABLE = new StepTable();

  public static final StepDef LAUNCH_BACKEND =
      TABLE.add(
          effect(
              "switch",
              "launch-backend",
              "Start the new backend beside the app",
              "take the backend's compose project down"));
  public static final StepDef SWITCH_APP_CONFIG =
      TABLE.add(
          effect(
              "switch",
              "switch-app-config",
              "Switch the app's settings and restart it",
              "restore the previous config and restart"));
  public static final DnsCutover DNS_CUTOVER =
      DnsCutover.declare(
          TABLE, "cutover", "Approve moving DNS to the switched app", "Point DNS at the app");
  public static final StepDef SOAK =
      TABLE.add(soak("soak", "soak", "Soak with the old config kept"));

  public static final List<StepDef> ALL = TABLE.steps();

  private ConfigFlipSteps() {}
}
