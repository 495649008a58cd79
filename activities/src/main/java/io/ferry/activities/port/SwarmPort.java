package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;

/** Docker Swarm stacks, on a manager node. */
public interface SwarmPort {

  /** {@code docker stack ls}. */
  List<String> stacks(SshTarget manager);

  /** {@code docker stack rm STACK}. */
  void removeStack(SshTarget manager, String stack);
}
