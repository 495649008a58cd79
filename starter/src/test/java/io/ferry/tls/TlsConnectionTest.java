package io.ferry.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.FerryCli;
import io.ferry.testing.PortBoundTemporal;
import io.ferry.worker.ExitCodes;
import io.ferry.worker.WorkerCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI and the worker against a Temporal endpoint behind TLS with client certificates (mTLS), as
 * a self-hosted cluster behind a load balancer is: certificates are made here, a TLS proxy
 * terminates them in front of the plain test server, and the server name differs from the address's
 * host, so {@code --tls-server-name} matters.
 */
class TlsConnectionTest {

  static final String SERVER_NAME = "temporal.ferry.test";
  static final String ID = "weaviate-first-orchestra-prod";

  @TempDir static Path dir;
  static PortBoundTemporal temporal;
  static TlsProxy proxy;
  static Path ca;
  static Path wrongCa;
  static Path clientCert;
  static Path clientKey;
  static Path strangerCert;
  static Path strangerKey;

  @BeforeAll
  static void tlsInFrontOfATestServer() throws Exception {
    TestCertificates.Issued serverCa = TestCertificates.authority("Ferry test server CA");
    TestCertificates.Issued clientCa = TestCertificates.authority("Ferry test client CA");
    TestCertificates.Issued otherCa = TestCertificates.authority("Somebody else's CA");
    ca = dir.resolve("ca.pem");
    serverCa.writeCertificate(ca);
    wrongCa = dir.resolve("wrong-ca.pem");
    otherCa.writeCertificate(wrongCa);
    clientCert = dir.resolve("client.pem");
    clientKey = dir.resolve("client.key");
    clientCa.issue("ferry-operator", true).write(clientCert, clientKey);
    strangerCert = dir.resolve("stranger.pem");
    strangerKey = dir.resolve("stranger.key");
    otherCa.issue("stranger", true).write(strangerCert, strangerKey);

    temporal = new PortBoundTemporal("localhost");
    proxy = new TlsProxy(serverCa.issue(SERVER_NAME, false), clientCa, temporal.port);
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    temporal.close();
  }

  /** The flags of a caller holding the right CA and a client certificate the server trusts. */
  static List<String> mtls(Path trusted, Path cert, Path key) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--address",
                "127.0.0.1:" + proxy.port(),
                "--tls-ca-path",
                trusted.toString(),
                "--tls-server-name",
                SERVER_NAME));
    if (cert != null) {
      flags.addAll(List.of("--tls-cert-path", cert.toString(), "--tls-key-path", key.toString()));
    }
    return flags;
  }

  @Test
  void workerAndCli_overMutualTls_startAMigrationAndShowItsStatus() throws Exception {
    Path log = dir.resolve("worker.log");
    Path plan = Path.of("..", "plans", "weaviate-first.example.yaml").toAbsolutePath();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.ferry.worker.WorkerMain",
                "--fleet",
                "sim",
                "--seed",
                plan.toString(),
                "--metrics-port",
                "0"));
    command.addAll(mtls(ca, clientCert, clientKey));
    Process worker =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(awaitLine(worker, log, "polling task queue"))
          .as("the worker connects over mTLS; its log:%n%s", read(log))
          .isTrue();
      assertThat(read(log)).contains("TLS (CA " + ca).contains("server name " + SERVER_NAME);

      Run start =
          cli(concat(List.of("start", "-f", plan.toString()), mtls(ca, clientCert, clientKey)));
      assertThat(start.code).as(start.toString()).isEqualTo(ExitCodes.OK);
      assertThat(start.out).contains("started " + ID);

      Run status = cli(concat(List.of("status", ID), mtls(ca, clientCert, clientKey)));
      assertThat(status.code).as(status + "\nworker log:\n" + read(log)).isEqualTo(ExitCodes.OK);
      assertThat(status.out).contains(ID);
    } finally {
      worker.destroyForcibly();
      worker.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void cliWithTheWrongCa_isRefusedNamingTheCaToCheck() {
    Run run = cli(concat(List.of("status", ID), mtls(wrongCa, clientCert, clientKey)));

    assertThat(run.code).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err)
        .contains("TLS handshake with 127.0.0.1:" + proxy.port() + " failed")
        .contains("not signed by a CA this side trusts")
        .contains("--tls-ca-path");
  }

  @Test
  void workerWithTheWrongCa_exitsUnavailableNamingTheCaToCheck() {
    Run run = worker(mtls(wrongCa, clientCert, clientKey));

    assertThat(run.code).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err).contains("not signed by a CA this side trusts").contains("--tls-ca-path");
  }

  @Test
  void wrongServerName_isRefusedNamingTheServerNameToCheck() {
    List<String> flags = mtls(ca, clientCert, clientKey);
    flags.set(flags.indexOf(SERVER_NAME), "elsewhere.ferry.test");

    Run run = cli(concat(List.of("status", ID), flags));

    assertThat(run.code).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err)
        .contains("does not name elsewhere.ferry.test")
        .contains("--tls-server-name");
  }

  @Test
  void clientCertificateFromAnotherCa_isRefusedByTheServer() {
    Run run = cli(concat(List.of("status", ID), mtls(ca, strangerCert, strangerKey)));

    assertThat(run.code).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err).contains("TLS handshake").contains("--tls-cert-path");
  }

  @Test
  void profileOfTemporalToml_suppliesAddressAndTls_flagsOverrideIt() throws Exception {
    Path toml = dir.resolve("temporal.toml");
    Files.writeString(
        toml,
        """
        [profile.staging]
        address = "127.0.0.1:%d"
        namespace = "default"
        [profile.staging.tls]
        server_ca_cert_path = "%s"
        client_cert_path = "%s"
        client_key_path = "%s"
        server_name = "%s"
        """
            .formatted(proxy.port(), ca, clientCert, clientKey, SERVER_NAME),
        StandardCharsets.UTF_8);

    Run viaProfile =
        cli(
            List.of(
                "status",
                "no-such-migration",
                "--config-file",
                toml.toString(),
                "--profile",
                "staging"));
    Run overridden =
        cli(
            List.of(
                "status",
                "no-such-migration",
                "--config-file",
                toml.toString(),
                "--profile",
                "staging",
                "--tls-ca-path",
                wrongCa.toString()));

    assertThat(viaProfile.code)
        .as("reached the server: " + viaProfile)
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(overridden.code).as(overridden.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(overridden.err).contains("not signed by a CA this side trusts");
  }

  @Test
  void apiKeyGivenAsAValue_isAUsageErrorThatDoesNotEchoIt() {
    Run run =
        cli(
            concat(
                List.of("status", ID),
                concat(mtls(ca, clientCert, clientKey), List.of("--api-key", "tmprl_s3cr3t"))));

    assertThat(run.code).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err).contains("--api-key is not env:NAME or file:").doesNotContain("s3cr3t");
  }

  @Test
  void missingCaFile_isAUsageErrorNamingTheFlag() {
    List<String> flags = mtls(dir.resolve("absent.pem"), clientCert, clientKey);

    Run run = cli(concat(List.of("status", ID), flags));

    assertThat(run.code).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err)
        .contains("--tls-ca-path")
        .contains("absent.pem")
        .contains("not a readable file");
  }

  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** The CLI, patient with a busy machine (a refused handshake still fails at once). */
  static Run cli(List<String> args) {
    return run(FerryCli.commandLine(new FerryCli()), concat(args, List.of("--wait", "60s")));
  }

  static Run worker(List<String> flags) {
    return run(
        new CommandLine(new WorkerCommand()),
        concat(List.of("--fleet", "sim", "--metrics-port", "0"), flags));
  }

  private static Run run(CommandLine cmd, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Whether the log shows {@code line} before the process ends or a minute passes. */
  private static boolean awaitLine(Process process, Path log, String line) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (read(log).contains(line)) {
        return true;
      }
      if (!process.isAlive()) {
        return read(log).contains(line);
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
