package io.ferry.roadmap.configflip;

import static io.ferry.roadmap.configflip.ConfigFlipSteps.DNS_CUTOVER;
import static io.ferry.roadmap.configflip.ConfigFlipSteps.LAUNCH_BACKEND;
import static io.ferry.roadmap.configflip.ConfigFlipSteps.SOAK;
import static io.ferry.roadmap.configflip.ConfigFlipSteps.SWITCH_APP_CONFIG;

import io.ferry.contract.HostActivities;
import io.ferry.contract.HostActivities.ComposeProject;
import io.ferry.contract.HostActivities.ComposeRef;
import io.ferry.contract.HostActivities.ConfigChange;
import io.ferry.contract.HostActivities.ConfigRestore;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookWorkflow;
import io.temporal.workflow.WorkflowInit;
import java.util.Map;

public class ConfigFlipWorkflowImpl extends RunbookWorkflow implements ConfigFlipWorkflow {

  @WorkflowInit
  public ConfigFlipWorkflowImpl(ConfigFlipPlan plan) {
    super(ConfigFlipPlan.ROADMAP, plan, ConfigFlipSteps.ALL);
  }

  @Override
  public RunbookResult migrate(ConfigFlipPlan plan) {
    return runbook.run(() -> checklist(plan));
  }

  private void checklist(ConfigFlipPlan plan) {
    ConfigFlipPlan.Backend backend = plan.backend();
    runbook.step(
        LAUNCH_BACKEND,
        HostActivities.class,
        host ->
            host.composeUp(
                new ComposeProject(
                    plan.appNode(),
                    backend.directory(),
                    "backend",
                    "services:\n  backend:\n    image: "
                        + backend.image()
                        + "\n    environment:\n      TOKEN: ${BACKEND_TOKEN}\n",
                    Map.of("BACKEND_TOKEN", backend.token()))),
        host -> host.composeDown(new ComposeRef(plan.appNode(), backend.directory(), "backend")));
    runbook.step(
        SWITCH_APP_CONFIG,
        HostActivities.class,
        host ->
            host.switchConfig(
                new ConfigChange(
                    plan.appNode(),
                    plan.configFile(),
                    plan.settings(),
                    plan.service(),
                    key(SWITCH_APP_CONFIG))),
        host ->
            host.restoreConfig(
                new ConfigRestore(
                    plan.appNode(), plan.configFile(), plan.service(), key(SWITCH_APP_CONFIG))));
    DNS_CUTOVER.run(runbook, plan.dns(), plan.dns().target());
    runbook.soak(SOAK, plan.soak());
  }
}
