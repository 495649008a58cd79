package io.ferry.activities.ssh;

import io.ferry.activities.SecretResolver;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process Apache MINA SSH server whose exec channel runs {@code /bin/sh -c COMMAND} here, as
 * OpenSSH runs the login shell, with {@link #bin()} first on its PATH (for fake docker, systemctl,
 * sudo). It counts the commands it was asked to run.
 */
public final class TestSshServer implements AutoCloseable {

  private final SshServer server;
  private final KeyPair hostKey;
  private final KeyPair clientKey;
  private final Path dir;
  private final Path bin;
  private final AtomicInteger commandsRun = new AtomicInteger();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final Map<String, String> env = new HashMap<>();

  public TestSshServer(Path dir) throws IOException, GeneralSecurityException {
    this(dir, true);
  }

  /**
   * @param systemPath whether the shell's PATH goes on to this machine's directories after {@link
   *     #bin()}; without, only what a test puts in {@code bin()} (and shell builtins) exists
   */
  public TestSshServer(Path dir, boolean systemPath) throws IOException, GeneralSecurityException {
    this.dir = dir;
    this.bin = Files.createDirectories(dir.resolve("bin"));
    this.hostKey = ecKey();
    this.clientKey = ecKey();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
    String path = systemPath ? bin + ":" + System.getenv("PATH") : bin.toString();
    server.setCommandFactory(
        (channel, command) -> {
          commandsRun.incrementAndGet();
          commands.add(command);
          return new ProcessShellFactory(command, List.of("/bin/sh", "-c", command)) {
            @Override
            protected List<String> resolveEffectiveCommand(
                ChannelSession session, String rawCommand, List<String> parsed) {
              return List.of("/usr/bin/env", "PATH=" + path, "/bin/sh", "-c", rawCommand);
            }
          }.createShell(channel);
        });
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.start();
    env.put("CLIENT_KEY", openSsh(clientKey));
    env.put("HOST_PRIVATE_KEY", openSsh(hostKey));
    env.put("OTHER_KEY", openSsh(ecKey()));
  }

  public static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static String openSsh(KeyPair key) throws IOException, GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** Resolves env:CLIENT_KEY, env:HOST_PRIVATE_KEY, env:OTHER_KEY (another key altogether). */
  public SecretResolver secrets() {
    return SecretResolver.withEnvironment(env::get);
  }

  public int port() {
    return server.getPort();
  }

  public Path bin() {
    return bin;
  }

  /** Every command line the server was asked to run. */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  public int commandsRun() {
    return commandsRun.get();
  }

  /** The host key's fingerprint as {@code ssh-keygen -lf} prints it (computed by MINA). */
  public String fingerprint() {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
  }

  /** A known_hosts file with this server's key for 127.0.0.1 on its port. */
  public Path knownHosts() throws IOException {
    Path file = dir.resolve("known_hosts");
    Files.writeString(
        file, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
    return file;
  }

  public SshTarget byFingerprint(String fingerprint) {
    return new SshTarget(
        "127.0.0.1",
        port(),
        System.getProperty("user.name"),
        SecretRef.of("env:CLIENT_KEY"),
        null,
        fingerprint,
        null,
        false);
  }

  public SshTarget target() {
    return byFingerprint(fingerprint());
  }

  /** Puts an executable script named {@code name} first on the server's PATH. */
  public Path fakeCommand(String name, String script) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** Drops every connection, as a restarting server or a network blip would. */
  public void dropConnections() {
    server.getActiveSessions().forEach(s -> s.close(true));
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
