package io.ferry.cli;

import io.ferry.worker.connect.ConnectionOptions;
import io.temporal.client.WorkflowClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --address} and {@code --namespace} on the commands that talk to Temporal, so they may
 * follow the command name ({@code ferry status ID --address host:7233}) as well as precede it.
 * {@link FerryCli} holds the defaults (the environment, then localhost). Not picocli's inherited
 * options: the worker subcommand declares its own {@code --address}.
 */
final class Connection {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Temporal frontend (env TEMPORAL_ADDRESS, or the profile; default localhost:7233).")
  String address;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (env TEMPORAL_NAMESPACE, or the profile; default default).")
  String namespace;

  /** TLS, mTLS, API key and Temporal's configuration profile, as for {@code ferry worker}. */
  @Mixin ConnectionOptions secured = new ConnectionOptions();

  /** The client for the address and namespace given here, or else to {@code ferry}. */
  WorkflowClient client(FerryCli ferry) {
    apply(ferry);
    return ferry.client();
  }

  String namespace(FerryCli ferry) {
    apply(ferry);
    return ferry.namespace();
  }

  private void apply(FerryCli ferry) {
    ferry.override(address, namespace, secured);
  }
}
