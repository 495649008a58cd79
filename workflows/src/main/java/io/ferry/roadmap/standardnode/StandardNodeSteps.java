package io.ferry.roadmap.standardnode;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;
import static io.ferry.runbook.StepDef.pointOfNoReturn;

import io.ferry.roadmap.common.TrafficShift;
import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import java.util.List;

/** The standard-node checklist (DESIGN's table, seed 004), in the order the workflow runs it. */
public final class StandardNodeSteps {
  static final String PREFLIGHT = "preflight";
  static final String NODE = "standard-node";
  static final String CRON = "cron";
  static final String REPLICATION = "replication";
  static final String TRAFFIC = "traffic";
  static final String DECOMMISSION = "decommission";

  private static final StepTable TABLE = new StepTable();

  public static final StepDef CHECK_OLD_SERVICES =
      TABLE.add(check(PREFLIGHT, "check-old-services", "Check the existing services answer"));
  public static final StepDef CHECK_NEW_PORTS =
      TABLE.add(check(PREFLIGHT, "check-new-ports-free", "Check the new services' ports are free"));
  public static final StepDef CHECK_PRIMARY =
      TABLE.add(
          check(
              PREFLIGHT,
              "check-primary-replication",
              "Record the primary's role and replication settings; say what is missing"));
  public static final StepDef CHECK_REPLICA_LOGINS =
      TABLE.add(
          check(
              PREFLIGHT,
              "check-replica-connections",
              "Open a replication connection to the primary from each replica's host"));
  public static final StepDef START_NODE =
      TABLE.add(
          effect(
                  NODE,
                  "start-standard-node",
                  "Upload the standard node's compose file and .env and start it beside the old"
                      + " stack",
                  "take the project down and remove its files")
              .profile(ActivityProfile.LONG_RUNNING));
  public static final StepDef CHECK_NEW_SERVICES =
      TABLE.add(
          check(
                  NODE,
                  "check-new-services",
                  "Check every new service and, again, the old ones answer")
              .profile(ActivityProfile.POLLING));
  public static final StepDef DISABLE_CRON =
      TABLE.add(
          effect(
                  CRON,
                  "disable-old-cron-entries",
                  "Disable the old crontab entries the healthy cron service replaces",
                  "turn the entries back on, restoring the crontab exactly")
              .onlyWhenDecided());
  public static final StepDef CREATE_SLOTS =
      TABLE.add(
          effect(
              REPLICATION,
              "create-replication-slots",
              "Create one physical replication slot per replica on the primary",
              "drop the slots"));
  public static final StepDef BOOTSTRAP_REPLICAS =
      TABLE.add(
          effect(
                  REPLICATION,
                  "bootstrap-replicas",
                  "Bootstrap each replica with pg_basebackup and start it as a standby",
                  "stop each replica, remove its data directory and drop its slot")
              .profile(ActivityProfile.LONG_RUNNING));
  public static final StepDef VERIFY_STREAMING =
      TABLE.add(
          check(
              REPLICATION,
              "verify-streaming",
              "Hold until each replica streams with replay lag under the limit (lag per replica"
                  + " shown while it holds)"));
  public static final StepDef APPROVE_SHIFT =
      TABLE.add(
          gate(
              TRAFFIC,
              "approve-traffic-shift",
              "Approve sending test users, then a growing share of traffic, to the new stack"));
  public static final TrafficShift SHIFT = TrafficShift.declare(TABLE, TRAFFIC);
  public static final StepDef APPROVE_DECOMMISSION =
      TABLE.add(
          gate(
              DECOMMISSION,
              "approve-decommission",
              "Approve the new stack as the one serving (and the old services' decommission, when"
                  + " the plan asks for it)"));
  public static final StepDef DECOMMISSION_OLD =
      TABLE.add(
          pointOfNoReturn(
                  DECOMMISSION,
                  "decommission-old-services",
                  "Stop and disable the old services for good")
              .onlyWhenDecided());

  public static final List<StepDef> ALL = TABLE.steps();

  private StandardNodeSteps() {}
}
