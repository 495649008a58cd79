package io.ferry.testing;

import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.FerryWorker;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;

/**
 * Temporal's test server in this JVM on a free port, for workers in other processes (or other
 * hosts): Ferry's search attributes registered, a client to it, time skipping locked, so the
 * server's clock runs in real time (heartbeat timeouts are real) until a test skips it.
 */
public final class PortBoundTemporal implements AutoCloseable {

  public final int port;
  public final WorkflowServiceStubs service;
  public final WorkflowClient client;
  private final TestServer.PortBoundTestServer server;
  private final OperatorServiceStubs operator;

  /** A server reached at {@code address} (such as localhost, or a lab's control address). */
  public PortBoundTemporal(String address) throws IOException {
    port = freePort();
    server = TestServer.createPortBoundServer(port, true);
    String target = address + ":" + port;
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(target)
                .validateAndBuildWithDefaults());
    operator
        .blockingStub()
        .addSearchAttributes(
            AddSearchAttributesRequest.newBuilder()
                .setNamespace("default")
                .putAllSearchAttributes(FerrySearchAttributes.DEFINITIONS)
                .build());
    client = WorkflowClient.newInstance(service);
  }

  /** A stub for a run of {@code plan} on Ferry's task queue, not started yet. */
  public WorkflowStub newRun(Roadmap roadmap, Plan plan) {
    return client.newUntypedWorkflowStub(
        roadmap.workflowType(),
        WorkflowOptions.newBuilder()
            .setWorkflowId(plan.workflowId())
            .setTaskQueue(FerryWorker.TASK_QUEUE)
            .build());
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    operator.shutdownNow();
    service.shutdownNow();
    server.close();
  }
}
