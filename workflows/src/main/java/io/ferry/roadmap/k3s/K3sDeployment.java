package io.ferry.roadmap.k3s;

import io.ferry.contract.K3sActivities;
import io.ferry.contract.K3sActivities.ClusterSecrets;
import io.ferry.contract.K3sActivities.HealthCheck;
import io.ferry.contract.K3sActivities.Release;
import io.ferry.contract.K3sActivities.RolloutWatch;
import io.ferry.plan.Durations;
import io.ferry.runbook.Runbook;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.Summarized;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The services' deployment in the plan's priority order: for each, the Helm release, its rollout
 * and its health check; the whole timed against the plan's target. The undo walks the releases in
 * reverse; each finds by its key whether this run made a revision and what came before.
 */
final class K3sDeployment {

  private final K3sPlan plan;
  private final ClusterSecrets secrets;
  private final String key;

  K3sDeployment(K3sPlan plan, ClusterSecrets secrets, String key) {
    this.plan = plan;
    this.secrets = secrets;
    this.key = key;
  }

  void run(Runbook runbook, StepDef step) {
    K3sPlan.Deploy deploy = plan.deploy();
    List<Release> releases =
        deploy.services().stream()
            .map(
                s ->
                    new Release(
                        secrets,
                        plan.cluster().master().ssh(),
                        s.release(),
                        chartPath(plan, s),
                        deploy.namespace(),
                        deploy.imageTag(),
                        key))
            .toList();
    runbook.step(
        step,
        K3sActivities.class,
        k3s -> {
          long started = Workflow.currentTimeMillis();
          List<String> done = new ArrayList<>();
          for (int i = 0; i < releases.size(); i++) {
            Release release = releases.get(i);
            K3sPlan.Service service = deploy.services().get(i);
            int revision = k3s.deployRelease(release).revision();
            k3s.waitRollout(
                new RolloutWatch(
                    secrets, release.release(), deploy.namespace(), deploy.rolloutTimeout()));
            k3s.checkHealth(
                new HealthCheck(service.release(), service.health(), service.healthStatus()));
            done.add(release.release() + " r" + revision);
          }
          Duration took = Duration.ofMillis(Workflow.currentTimeMillis() - started);
          return new Deployed(done, took, deploy.target());
        },
        k3s -> {
          for (int i = releases.size() - 1; i >= 0; i--) {
            k3s.undoRelease(releases.get(i));
          }
        });
  }

  /** The chart as Helm on the master sees it: relative paths are inside the repository. */
  static String chartPath(K3sPlan plan, K3sPlan.Service service) {
    return service.chart().startsWith("/")
        ? service.chart()
        : plan.repository().path() + "/" + service.chart();
  }

  /**
   * The commands the CI pipeline runs once it deploys to the cluster: the same releases, charts,
   * namespace and timeout as this plan (run from the repository's root).
   */
  static String helmLines(K3sPlan plan) {
    K3sPlan.Deploy deploy = plan.deploy();
    if (deploy == null) {
      return "";
    }
    return deploy.services().stream()
        .filter(s -> s != null)
        .map(
            s ->
                "helm upgrade --install "
                    + s.release()
                    + " "
                    + s.chart()
                    + " --namespace "
                    + deploy.namespace()
                    + " --create-namespace --set global.imageTag="
                    + deploy.imageTag()
                    + " --wait --timeout "
                    + Durations.format(deploy.rolloutTimeout()))
        .collect(Collectors.joining(" && "));
  }

  /** The deployment's releases and how long it took against the target. */
  record Deployed(List<String> releases, Duration took, Duration target) implements Summarized {
    @Override
    public String summary() {
      return "deployed "
          + String.join(", ", releases)
          + " in "
          + Durations.format(took)
          + (took.compareTo(target) <= 0 ? " (within" : " (OVER")
          + " the "
          + Durations.format(target)
          + " target)";
    }
  }
}
