package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;

/** psql on a host, as a role: what a node check asks of PostgreSQL there. */
public interface PsqlPort {

  /** {@code psql -U role -lqt}: the databases' names; fails when the role cannot connect. */
  List<String> listDatabases(SshTarget host, String role);
}
