package io.ferry.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-signed certificates for the lab's TLS servers, trusted by the worker through the lab's trust
 * store.
 */
final class Tls {

  private Tls() {}

  /** A certificate and key ({@code name.crt}, {@code name.key}) for the DNS names and addresses. */
  static Path[] selfSigned(Path dir, String name, List<String> dnsNames, List<String> addresses) {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    List<String> san = new ArrayList<>();
    dnsNames.forEach(d -> san.add("DNS:" + d));
    addresses.forEach(a -> san.add("IP:" + a));
    Cmd.ok(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=" + String.join(",", san),
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
    return new Path[] {cert, key};
  }

  /** Adds {@code cert} to the worker's trust store. */
  static void trust(Path trustStore, String alias, Path cert) {
    Cmd.ok(
        "keytool",
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        cert.toString(),
        "-keystore",
        trustStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        DigitalOceanStandIn.STORE_PASSWORD);
  }
}
