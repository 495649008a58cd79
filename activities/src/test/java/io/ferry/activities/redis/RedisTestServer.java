package io.ferry.activities.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis server for tests, on free local ports. The binary comes from the {@code
 * com.github.codemonstur:embedded-redis} test dependency (Redis 6.2 for linux-amd64/arm64 and
 * macOS, built with TLS), or else from {@code redis-server} on the PATH (Debian's package). When
 * neither starts, {@link #start} aborts the calling test with the reason (JUnit assumption).
 *
 * <p>{@link Options#tls()} also opens a TLS port with a self-signed certificate for {@code
 * localhost} and {@code 127.0.0.1}, generated with the JDK's keytool; {@link #caFile()} is that
 * certificate as PEM, to trust it.
 */
public final class RedisTestServer implements AutoCloseable {

  /** What to start: a password ({@code requirepass}) or none, and a TLS port or not. */
  public record Options(String password, boolean tls) {
    public static Options plain() {
      return new Options(null, false);
    }

    public Options withPassword(String password) {
      return new Options(password, tls);
    }

    public Options withTls() {
      return new Options(password, true);
    }
  }

  private final Process process;
  private final Path dir;
  private final int port;
  private final int tlsPort;
  private final Path caFile;

  private RedisTestServer(Process process, Path dir, int port, int tlsPort, Path caFile) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
    this.caFile = caFile;
  }

  /** Starts a server, or aborts the test (skipped, with the reason) when none can run here. */
  public static RedisTestServer start(Options options) {
    List<String> tried = new ArrayList<>();
    for (Path binary : candidates(tried)) {
      try {
        return launch(binary, options);
      } catch (IOException | RuntimeException e) {
        tried.add(binary + ": " + e.getMessage());
      }
    }
    Assumptions.abort(
        "no Redis server can run here (tried "
            + String.join("; ", tried)
            + "); install Debian's redis-server to run this test");
    throw new AssertionError("unreachable");
  }

  /** {@code redis://127.0.0.1:port/db} of the plain port. */
  public String url(int database) {
    return "redis://127.0.0.1:" + port + "/" + database;
  }

  /** {@code rediss://localhost:port/db} of the TLS port. */
  public String tlsUrl(int database) {
    if (tlsPort < 0) {
      throw new IllegalStateException("started without TLS");
    }
    return "rediss://localhost:" + tlsPort + "/" + database;
  }

  public int port() {
    return port;
  }

  /** The self-signed certificate the TLS port presents, as PEM. */
  public Path caFile() {
    return caFile;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteQuietly(dir);
  }

  private static List<Path> candidates(List<String> tried) {
    List<Path> out = new ArrayList<>();
    String resource = embeddedBinaryName();
    if (resource == null) {
      tried.add("no embedded binary for " + System.getProperty("os.name") + "/" + arch());
    } else {
      try (InputStream in = RedisTestServer.class.getResourceAsStream("/" + resource)) {
        if (in == null) {
          tried.add(resource + " is not on the test classpath");
        } else {
          Path binary = Files.createTempFile("ferry-redis-server-", "");
          Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
          binary.toFile().setExecutable(true);
          binary.toFile().deleteOnExit();
          out.add(binary);
        }
      } catch (IOException e) {
        tried.add(resource + ": " + e.getMessage());
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(p)) {
        out.add(p);
        break;
      }
    }
    return out;
  }

  private static String arch() {
    return System.getProperty("os.arch").toLowerCase(Locale.ROOT);
  }

  private static String embeddedBinaryName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = arch();
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return x64
          ? "redis-server-6.2.6-v5-linux-amd64"
          : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
    }
    if (os.contains("mac")) {
      return x64
          ? "redis-server-6.2.6-v5-darwin-amd64"
          : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
    }
    return null;
  }

  private static RedisTestServer launch(Path binary, Options options) throws IOException {
    Path dir = Files.createTempDirectory("ferry-redis-");
    int port = freePort();
    int tlsPort = options.tls() ? freePort() : -1;
    Path ca = null;
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            binary.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString()));
    if (options.password() != null) {
      command.addAll(List.of("--requirepass", options.password()));
    }
    if (options.tls()) {
      ca = dir.resolve("ca.pem");
      Path key = dir.resolve("key.pem");
      selfSignedCertificate(dir, ca, key);
      command.addAll(
          List.of(
              "--tls-port",
              Integer.toString(tlsPort),
              "--tls-cert-file",
              ca.toString(),
              "--tls-key-file",
              key.toString(),
              "--tls-ca-cert-file",
              ca.toString(),
              "--tls-auth-clients",
              "no"));
    }
    Path log = dir.resolve("redis.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String output = Files.readString(log, StandardCharsets.UTF_8);
        deleteQuietly(dir);
        throw new IOException("exited with " + process.exitValue() + ": " + lastLines(output));
      }
      if (listening(port) && (tlsPort < 0 || listening(tlsPort))) {
        return new RedisTestServer(process, dir, port, tlsPort, ca);
      }
      sleep(50);
    }
    process.destroyForcibly();
    deleteQuietly(dir);
    throw new IOException("did not listen on port " + port + " within 15 s");
  }

  /** keytool makes a PKCS#12 key pair; Redis wants PEM, so the JDK writes it out. */
  private static void selfSignedCertificate(Path dir, Path certPem, Path keyPem)
      throws IOException {
    Path p12 = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "redis",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("keytool failed: " + out);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(p12)) {
        store.load(in, "changeit".toCharArray());
      }
      PrivateKey key = (PrivateKey) store.getKey("redis", "changeit".toCharArray());
      Certificate cert = store.getCertificate("redis");
      Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot write the certificate as PEM: " + e, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String lastLines(String output) {
    String[] lines = output.strip().split("\n");
    return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp dir left behind is harmless
    }
  }
}
