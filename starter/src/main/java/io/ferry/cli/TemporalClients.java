package io.ferry.cli;

import io.ferry.worker.connect.TemporalEndpoint;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;

/**
 * Where commands get their {@link WorkflowClient}. The CLI connects to the {@link TemporalEndpoint}
 * its flags, environment and profile describe; tests hand in a {@code TestWorkflowEnvironment}'s
 * client.
 */
@FunctionalInterface
public interface TemporalClients {

  WorkflowClient connect(String address, String namespace);

  /** Connects to the endpoint; test clients need only its address and namespace. */
  default WorkflowClient connect(TemporalEndpoint endpoint) {
    return connect(endpoint.address(), endpoint.namespace());
  }

  /** Cleans up what {@link #connect} made; called once the command has finished. */
  default void release(WorkflowClient client) {}

  /** How long a command waits for the frontend to answer before saying it cannot reach it. */
  Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The same over TLS: the handshake adds round trips and key operations, and a secured frontend
   * (Temporal Cloud) is usually across the internet rather than next door.
   */
  Duration SECURE_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Connects over gRPC to a Temporal frontend, checking at once that it answers; a failing call is
   * retried for {@link #CONNECT_TIMEOUT}, so an unreachable server is reported in seconds.
   */
  static TemporalClients grpc() {
    return new TemporalClients() {
      @Override
      public WorkflowClient connect(String address, String namespace) {
        return connect(TemporalEndpoint.plain(address, namespace));
      }

      @Override
      public WorkflowClient connect(TemporalEndpoint endpoint) {
        Duration timeout = endpoint.secure() ? SECURE_CONNECT_TIMEOUT : CONNECT_TIMEOUT;
        WorkflowServiceStubs service =
            WorkflowServiceStubs.newConnectedServiceStubs(
                endpoint
                    .stubsOptions()
                    .setSystemInfoTimeout(timeout)
                    .setRpcRetryOptions(
                        RpcRetryOptions.newBuilder()
                            .setExpiration(timeout)
                            .validateBuildWithDefaults())
                    .build(),
                timeout);
        return WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(endpoint.namespace()).build());
      }

      @Override
      public void release(WorkflowClient client) {
        client.getWorkflowServiceStubs().shutdownNow();
      }
    };
  }
}
