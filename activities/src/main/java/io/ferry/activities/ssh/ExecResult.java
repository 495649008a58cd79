package io.ferry.activities.ssh;

/** How a command ended: its exit status and everything it wrote (decoded as UTF-8). */
public record ExecResult(int exitStatus, String stdout, String stderr) {

  public boolean succeeded() {
    return exitStatus == 0;
  }

  /** The last non-blank line of stderr (else stdout), for an error message. */
  public String lastErrorLine() {
    String text = stderr.isBlank() ? stdout : stderr;
    String[] lines = text.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }
}
