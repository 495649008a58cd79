package io.ferry.lab;

import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.GateStatus;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorCommand;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookControls;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.testing.PortBoundTemporal;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Temporal's test server in this JVM, on the control host (real time: the workers' heartbeats and
 * the server's timeouts are real), and the operator who answers gates, manual steps and soaks.
 */
final class LabTemporal implements AutoCloseable {

  static final String OPERATOR = "ferry lab";

  final int port;
  private final PortBoundTemporal temporal;
  private final WorkflowServiceStubs service;
  final WorkflowClient client;
  private final io.temporal.serviceclient.TestServiceStubs testService;

  /** Set per run: soaks pass on the server's skipped time in steps of this, instead of END_SOAK. */
  Duration soakStep;

  LabTemporal() throws IOException {
    temporal = new PortBoundTemporal(Lab.CONTROL_ADDRESS);
    port = temporal.port;
    service = temporal.service;
    client = temporal.client;
    testService =
        io.temporal.serviceclient.TestServiceStubs.newServiceStubs(
            io.temporal.serviceclient.TestServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
  }

  WorkflowStub start(Roadmap roadmap, Plan plan) {
    WorkflowStub stub = temporal.newRun(roadmap, plan);
    stub.start(plan);
    return stub;
  }

  /**
   * Answers what the run asks until it ends or {@code stopWhen} holds; fails after {@code limit}.
   */
  RunbookStatus drive(WorkflowStub stub, Duration limit, Predicate<RunbookStatus> stopWhen)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    RunbookStatus status = null;
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the lab run did not end within " + limit + "; last: " + status);
      }
      try {
        status = stub.query("status", RunbookStatus.class);
        if (status.state().isFinal()
            || status.state() == RunbookState.AWAITING_DECISION
            || stopWhen.test(status)) {
          return status;
        }
        if (soakStep != null && status.state() == RunbookState.SOAKING && status.soak() != null) {
          skipSoakTime(stub);
        } else {
          answer(stub, status);
        }
      } catch (WorkflowServiceException noWorkerYet) {
        // a query needs a worker: one is starting, or replaying after a crash
      }
      Thread.sleep(200);
    }
  }

  private static void answer(WorkflowStub stub, RunbookStatus s) {
    OperatorCommand command = null;
    if (!s.pendingGates().isEmpty()) {
      GateStatus gate = s.pendingGates().get(0);
      // a gate may need distinct approvers (the one in front of a point of no return needs two)
      int given = gate.approvals().size();
      String by = given == 0 ? OPERATOR : OPERATOR + " (approver " + (given + 1) + ")";
      command =
          new OperatorCommand(
              OperatorAction.APPROVE, new OperatorInput(gate.id(), by, "lab", null));
    } else if (!s.waitingManualSteps().isEmpty()) {
      command = command(OperatorAction.COMPLETE, s.waitingManualSteps().get(0).id());
    } else if (s.state() == RunbookState.SOAKING && s.soak() != null) {
      command = command(OperatorAction.END_SOAK, s.soak().id());
    }
    if (command != null) {
      try {
        stub.update(RunbookControls.OPERATE, OperatorReply.class, command);
      } catch (io.temporal.client.WorkflowUpdateException refused) {
        // answered from a status that had not caught up yet: the next round asks again
      }
    }
  }

  /**
   * Lets the soak's next timer fire on skipped time (the server's clock otherwise runs in real
   * time): only while nothing runs, so no activity's timeout is skipped past; the round a timer
   * starts then runs in real time before the next skip.
   */
  private void skipSoakTime(WorkflowStub stub) {
    var run =
        service
            .blockingStub()
            .describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(stub.getExecution())
                    .build());
    if (run.getPendingActivitiesCount() > 0 || run.hasPendingWorkflowTask()) {
      return; // a round is running, or its timer's workflow task is still to be handled
    }
    testService
        .blockingStub()
        .unlockTimeSkippingWithSleep(
            io.temporal.api.testservice.v1.SleepRequest.newBuilder()
                .setDuration(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(soakStep.plusSeconds(1).toSeconds()))
                .build());
  }

  private static OperatorCommand command(OperatorAction action, String target) {
    return new OperatorCommand(action, new OperatorInput(target, OPERATOR, "lab", null));
  }

  String historyJson(String workflowId) {
    return client.fetchHistory(workflowId).toJson(true);
  }

  @Override
  public void close() {
    testService.shutdownNow();
    temporal.close();
  }
}
