package io.ferry.activities.port;

import java.util.Optional;

/**
 * The worker's store for secrets a migration produces (a cluster's join token and kubeconfig):
 * values stay on the worker, workflow history holds only the reference {@link #put} returns.
 */
public interface ClusterSecretsPort {

  /** Stores {@code value} under the migration and name; returns the opaque reference. */
  String put(String migration, String name, String value);

  Optional<String> get(String reference);

  /** Deletes everything stored for the migration; false when nothing was. */
  boolean forget(String migration);
}
