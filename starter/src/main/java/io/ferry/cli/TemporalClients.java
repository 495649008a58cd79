package io.ferry.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/**
 * Where commands get their {@link WorkflowClient}. The CLI connects to {@code --address}; tests
 * hand in a {@code TestWorkflowEnvironment}'s client.
 */
@FunctionalInterface
public interface TemporalClients {

  WorkflowClient connect(String address, String namespace);

  /** Cleans up what {@link #connect} made; called once the command has finished. */
  default void release(WorkflowClient client) {}

  /** Connects over gRPC to a Temporal frontend; the connection is made at the first call. */
  static TemporalClients grpc() {
    return new TemporalClients() {
      @Override
      public WorkflowClient connect(String address, String namespace) {
        WorkflowServiceStubs service =
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
        return WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
      }

      @Override
      public void release(WorkflowClient client) {
        client.getWorkflowServiceStubs().shutdownNow();
      }
    };
  }
}
