package io.ferry.plan;

/**
 * A host reached over SSH. The host key is always verified: against a known_hosts file, a pinned
 * SHA256 fingerprint, or the host key Ferry installs on a droplet it creates (hostKey).
 *
 * @param host name or address; for a droplet this run creates, filled in from the droplet
 * @param privateKey reference to the client key file or value
 * @param knownHosts path of a known_hosts file on the worker
 * @param fingerprint pinned host key fingerprint, {@code SHA256:...}
 * @param hostKey reference to the host's private key that Ferry installs at creation
 * @param sudo run commands through sudo
 */
public record SshTarget(
    String host,
    Integer port,
    String user,
    SecretRef privateKey,
    String knownHosts,
    String fingerprint,
    SecretRef hostKey,
    Boolean sudo)
    implements Checked {

  public SshTarget {
    port = port == null ? 22 : port;
    user = user == null ? "root" : user;
    sudo = sudo != null && sudo;
  }

  public SshTarget atHost(String newHost) {
    return new SshTarget(newHost, port, user, privateKey, knownHosts, fingerprint, hostKey, sudo);
  }

  @Override
  public void check(PlanChecks checks) {
    checkWithoutHost(checks);
    if (checks.required("host", host)) {
      checks.host("host", host);
    }
  }

  /** For a host whose address is only known once the run has created it. */
  public void checkWithoutHost(PlanChecks checks) {
    checks.port("port", port);
    checks.matches(
        "user",
        user,
        java.util.regex.Pattern.compile("[a-z_][a-z0-9_-]{0,31}"),
        "a Unix user name");
    checks.secret("privateKey", privateKey, true);
    int verifiers =
        (knownHosts != null ? 1 : 0) + (fingerprint != null ? 1 : 0) + (hostKey != null ? 1 : 0);
    if (verifiers != 1) {
      checks.problem(
          "",
          "name exactly one way to verify the host key: knownHosts (a file), fingerprint"
              + " (SHA256:...) or hostKey (a reference to the key Ferry installs)");
    }
    checks.absolutePath("knownHosts", knownHosts);
    checks.matches(
        "fingerprint",
        fingerprint,
        java.util.regex.Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?"),
        "a SHA256 fingerprint as ssh-keygen -lf prints it (SHA256:...)");
    checks.secret("hostKey", hostKey, false);
  }
}
