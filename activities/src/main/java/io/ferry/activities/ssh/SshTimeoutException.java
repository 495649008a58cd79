package io.ferry.activities.ssh;

/** A command outlived its timeout and was killed; retryable (the host may just be slow). */
public final class SshTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SshTimeoutException(String message) {
    super(message);
  }
}
