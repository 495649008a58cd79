package io.ferry.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/**
 * Where commands get their {@link WorkflowClient}. The CLI connects to {@code --address}; tests
 * hand in a {@code TestWorkflowEnvironment}'s client.
 */
@FunctionalInterface
public interface TemporalClients {

  WorkflowClient connect(String address, String namespace);

  /** Cleans up what {@link #connect} made; called once the command has finished. */
  default void release(WorkflowClient client) {}

  /** How long a command waits for the frontend to answer before saying it cannot reach it. */
  Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Connects over gRPC to a Temporal frontend, checking at once that it answers; a failing call is
   * retried for {@link #CONNECT_TIMEOUT}, so an unreachable server is reported in seconds.
   */
  static TemporalClients grpc() {
    return new TemporalClients() {
      @Override
      public WorkflowClient connect(String address, String namespace) {
        WorkflowServiceStubs service =
            WorkflowServiceStubs.newConnectedServiceStubs(
                WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(address)
                    .setSystemInfoTimeout(CONNECT_TIMEOUT)
                    .setRpcRetryOptions(
                        RpcRetryOptions.newBuilder()
                            .setExpiration(CONNECT_TIMEOUT)
                            .validateBuildWithDefaults())
                    .build(),
                CONNECT_TIMEOUT);
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
