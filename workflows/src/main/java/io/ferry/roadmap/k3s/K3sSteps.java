package io.ferry.roadmap.k3s;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;
import static io.ferry.runbook.StepDef.manual;
import static io.ferry.runbook.StepDef.pointOfNoReturn;
import static io.ferry.runbook.StepDef.soak;

import io.ferry.roadmap.common.TrafficShift;
import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import java.util.List;

/** The k3s checklist (DESIGN's table, seed 003), in the order the workflow runs it. */
public final class K3sSteps {
  static final String PRESERVE = "preserve";
  static final String CLUSTER = "cluster";
  static final String DEPLOY = "deploy";
  static final String CUTOVER = "cutover";
  static final String SOAK = "soak";
  static final String DECOMMISSION = "decommission";

  private static final StepTable TABLE = new StepTable();

  public static final StepDef ARCHIVE_LEGACY =
      TABLE.add(
          effect(
              PRESERVE,
              "archive-legacy",
              "Archive the legacy deployment files into a dated tarball with its checksum; move"
                  + " obsolete files into archive/legacy-deployments/",
              "move the obsolete files back (the tarball is kept)"));
  public static final StepDef CHECK_REPOSITORY_ROOT =
      TABLE.add(
          check(
              PRESERVE,
              "check-repository-root",
              "Phase 1's criterion: fewer files left in the repository's root than the limit"));

  public static final StepDef INSTALL_SERVER =
      TABLE.add(
          effect(
                  CLUSTER,
                  "install-k3s-server",
                  "Install the K3s server on the master (--disable traefik, --cluster-init)",
                  "run k3s-uninstall.sh on the master")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef READ_CLUSTER_SECRETS =
      TABLE.add(
          effect(
                  CLUSTER,
                  "read-cluster-secrets",
                  "Keep the join token and the kubeconfig in the worker's secret store",
                  "delete them from the worker's secret store")
              .notSkippable());
  public static final StepDef JOIN_WORKERS =
      TABLE.add(
          effect(
                  CLUSTER,
                  "join-workers",
                  "Join each node to the cluster in its role (agent or server)",
                  "drain and delete each node, then uninstall K3s on it")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef WAIT_NODES_READY =
      TABLE.add(
          check(CLUSTER, "wait-nodes-ready", "Wait until every node the plan expects is Ready")
              .profile(ActivityProfile.POLLING)
              .notSkippable());
  public static final StepDef APPLY_DEVICE_PLUGIN =
      TABLE.add(
          effect(
              CLUSTER,
              "apply-device-plugin",
              "Apply the NVIDIA device plugin manifest the plan names",
              "delete what the manifest made"));
  public static final StepDef VERIFY_GPUS =
      TABLE.add(
          check(CLUSTER, "verify-gpus", "Verify nvidia.com/gpu is allocatable on the GPU nodes")
              .profile(ActivityProfile.POLLING));

  public static final StepDef DEPLOY_SERVICES =
      TABLE.add(
          effect(
                  DEPLOY,
                  "deploy-services",
                  "Deploy the services in priority order with Helm beside Swarm: each release,"
                      + " its rollout and its health check; timed against the target",
                  "roll each release back to its previous revision, or uninstall it if this run"
                      + " installed it (in reverse order)")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef UPDATE_CI_PIPELINE =
      TABLE.add(
          manual(
              DEPLOY,
              "update-ci-pipeline",
              "Switch the CI pipeline to the unified helm upgrade --install deployment"));

  public static final StepDef APPROVE_SHIFT =
      TABLE.add(gate(CUTOVER, "approve-traffic-shift", "Approve shifting traffic to K3s"));

  /**
   * route-test-users (the edge's site written with 0 % on K3s), shift-traffic, analyze-traffic and
   * decide-inconclusive-analysis: the shared weighted shift.
   */
  public static final TrafficShift SHIFT = TrafficShift.declare(TABLE, CUTOVER);

  public static final StepDef SOAK_CLUSTER =
      TABLE.add(soak(SOAK, "soak", "Soak with Swarm kept running behind the edge"));

  public static final StepDef APPROVE_DECOMMISSION =
      TABLE.add(
          gate(DECOMMISSION, "approve-decommission", "Approve removing the Docker Swarm stacks"));
  public static final StepDef DECOMMISSION_SWARM =
      TABLE.add(
          pointOfNoReturn(
              DECOMMISSION,
              "decommission-swarm",
              "docker stack rm the Swarm stacks, archive their compose files into"
                  + " archive/docker-swarm-legacy/, leave MIGRATION_COMPLETE.md"));

  public static final List<StepDef> ALL = TABLE.steps();

  /**
   * The table as one plan's run shows it: the CI step's instructions carry the exact {@code helm
   * upgrade --install} lines the plan implies.
   */
  static List<StepDef> forPlan(K3sPlan plan) {
    String lines = K3sDeployment.helmLines(plan);
    if (lines.isEmpty()) {
      return ALL;
    }
    StepDef ci = UPDATE_CI_PIPELINE;
    StepDef withLines =
        new StepDef(
            ci.id(),
            ci.title()
                + " (replace the image tag with the commit's, e.g. ${{ github.sha }}): "
                + lines,
            ci.phase(),
            ci.kind(),
            ci.undo(),
            ci.profile(),
            ci.skippable(),
            ci.conditional());
    return ALL.stream().map(s -> s.id().equals(ci.id()) ? withLines : s).toList();
  }

  private K3sSteps() {}
}
