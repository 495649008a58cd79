package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.plan.SshTarget;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Verifies the key a server presents against the one way the plan names: a known_hosts file (never
 * added to), a pinned {@code SHA256:} fingerprint, or the host private key Ferry installed (whose
 * public half is pinned). Remembers what was presented, so a refusal can say what it saw.
 */
final class HostKeyCheck implements HostKeyVerifier {

  private final String expected;
  private final HostKeyVerifier knownHosts;
  private final String pinnedFingerprint;
  private final String pinnedAlgorithm;
  private volatile String presented;

  private HostKeyCheck(
      String expected,
      HostKeyVerifier knownHosts,
      String pinnedFingerprint,
      String pinnedAlgorithm) {
    this.expected = expected;
    this.knownHosts = knownHosts;
    this.pinnedFingerprint = pinnedFingerprint;
    this.pinnedAlgorithm = pinnedAlgorithm;
  }

  static HostKeyCheck forTarget(SshTarget target, SecretResolver secrets) {
    if (target.knownHosts() != null) {
      Path file = Path.of(target.knownHosts());
      if (!Files.isReadable(file)) {
        throw Failures.precondition(
            "knownHosts "
                + file
                + " does not exist or cannot be read on the worker; add the host's key there"
                + " (ssh-keyscan -H "
                + target.host()
                + " >> "
                + file
                + ", after checking it) or pin its fingerprint");
      }
      try {
        return new HostKeyCheck(
            "an entry of " + file, new NeverAddingKnownHosts(file.toFile()), null, null);
      } catch (IOException e) {
        throw Failures.precondition("knownHosts " + file + " cannot be read: " + e.getMessage());
      }
    }
    if (target.fingerprint() != null) {
      String pinned = target.fingerprint().replaceAll("=+$", "");
      if (!pinned.startsWith("SHA256:")) {
        throw Failures.invalidInput(
            "fingerprint must be SHA256:... as ssh-keygen -lf prints it, was " + pinned);
      }
      return new HostKeyCheck("fingerprint " + pinned, null, pinned, null);
    }
    if (target.hostKey() != null) {
      PublicKey key = publicHalf(secrets.resolve(target.hostKey()), target);
      String fp = fingerprint(key);
      return new HostKeyCheck(
          "the key installed from hostKey " + target.hostKey() + " (" + fp + ")",
          null,
          fp,
          KeyType.fromKey(key).toString());
    }
    throw Failures.invalidInput(
        "host "
            + target.host()
            + ": name a way to verify its host key (knownHosts, fingerprint or hostKey)");
  }

  private static PublicKey publicHalf(String privateKeyText, SshTarget target) {
    try (SSHClient parser = new SSHClient()) {
      return parser.loadKeys(privateKeyText, null, null).getPublic();
    } catch (IOException | RuntimeException e) {
      throw Failures.invalidInput(
          "hostKey "
              + target.hostKey()
              + " is not a private key in OpenSSH or PEM form ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** {@code SHA256:} and the unpadded base64 of the key's SSH encoding, as ssh-keygen prints. */
  static String fingerprint(PublicKey key) {
    byte[] encoded = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(encoded);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    presented = KeyType.fromKey(key) + " " + fingerprint(key);
    if (knownHosts != null) {
      return knownHosts.verify(hostname, port, key);
    }
    return pinnedFingerprint.equals(fingerprint(key));
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    if (knownHosts != null) {
      return knownHosts.findExistingAlgorithms(hostname, port);
    }
    return pinnedAlgorithm == null ? List.of() : List.of(pinnedAlgorithm);
  }

  /** What the check expects, for an error message. */
  String expected() {
    return expected;
  }

  /** The key the server presented ("ssh-ed25519 SHA256:..."), or null before any. */
  String presented() {
    return presented;
  }

  /** OpenSSH's known_hosts, read only: an unknown or changed key is refused, never recorded. */
  private static final class NeverAddingKnownHosts extends OpenSSHKnownHosts {
    NeverAddingKnownHosts(File file) throws IOException {
      super(file);
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
      return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
      return false;
    }
  }
}
