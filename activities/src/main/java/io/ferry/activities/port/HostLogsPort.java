package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.time.Instant;
import java.util.List;

/** The logs of a host's services, copied to the worker. */
public interface HostLogsPort {

  /**
   * Copies the journal of the units since {@code since} ({@code journalctl -u U1 -u U2 --since
   * <ISO> -o short-iso}) gzip-compressed from the host to {@code localPath} on the worker (temp
   * file + rename; an existing file is replaced, so a retry writes it whole).
   */
  WrittenFile exportJournal(SshTarget host, List<String> units, Instant since, String localPath);
}
