package io.ferry.lab;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ferry.activities.digitalocean.FakeDigitalOcean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The adapter tests' DigitalOcean stand-in (every request checked against DO's OpenAPI reference)
 * served as {@code https://api.digitalocean.com} on the control host: the control host's resolver
 * file ({@code /etc/netns/<control>/hosts}, which {@code ip netns exec} puts in place for the
 * worker) names it, and its certificate, made here by keytool, is in the worker's trust store.
 */
final class DigitalOceanStandIn {

  static final String STORE_PASSWORD = "ferry-lab";

  final FakeDigitalOcean api;
  final Path trustStore;
  final Path token;
  private Path hosts;
  private final java.util.Map<String, String> dropletAddresses =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.List<Thread> registries = new java.util.ArrayList<>();

  DigitalOceanStandIn(Lab lab, Services services) {
    Path keys = services.keys();
    token = services.secret("do_token");
    Path keyStore = keys.resolve("api-tls.p12");
    trustStore = keys.resolve("lab-trust.p12");
    Path cert = keys.resolve("api-tls.crt");
    Cmd.ok(
        "keytool",
        "-genkeypair",
        "-alias",
        "api",
        "-keyalg",
        "EC",
        "-dname",
        "CN=api.digitalocean.com",
        "-ext",
        "san=dns:api.digitalocean.com",
        "-validity",
        "2",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    Cmd.ok(
        "keytool",
        "-exportcert",
        "-alias",
        "api",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        cert.toString());
    Cmd.ok(
        "keytool",
        "-importcert",
        "-noprompt",
        "-alias",
        "lab-api",
        "-file",
        cert.toString(),
        "-keystore",
        trustStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    try {
      Path etc = Path.of("/etc/netns", lab.control);
      Files.createDirectories(etc);
      hosts = etc.resolve("hosts");
      Files.writeString(
          hosts, "127.0.0.1 localhost\n" + Lab.CONTROL_ADDRESS + " api.digitalocean.com\n");
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        ks.load(in, STORE_PASSWORD.toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, STORE_PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      HttpsServer server = HttpsServer.create(new InetSocketAddress(Lab.CONTROL_ADDRESS, 443), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      api = new FakeDigitalOcean(Services.read(token), server);
      api.addressDroplets(dropletAddresses::get);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The control host resolves {@code name} to {@code address} (for workers started after). */
  void resolve(String name, String address) {
    try {
      Files.writeString(
          hosts, address + " " + name + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A droplet named {@code name} is the lab host at {@code address}. */
  void dropletAt(String name, String address) {
    dropletAddresses.put(name, address);
  }

  /**
   * The registry end of {@code docker push} on {@code host}: the lab's docker script leaves each
   * push in /usr/local/lib/lab-registry; this puts the tag in the stand-in's registry and answers
   * the digest the registry API will list.
   */
  void registryFor(LabHost host) {
    Path dir = host.dir().resolve("usr-local/lib/lab-registry");
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  if (Files.isDirectory(dir)) {
                    try (var files = Files.list(dir)) {
                      for (Path req : files.filter(f -> f.toString().endsWith(".req")).toList()) {
                        String ref = Files.readString(req).strip();
                        String repoAndTag = ref.substring(ref.lastIndexOf('/') + 1);
                        String repo = repoAndTag.substring(0, repoAndTag.indexOf(':'));
                        String tag = repoAndTag.substring(repoAndTag.indexOf(':') + 1);
                        Path answer = Path.of(req.toString().replace(".req", ".digest"));
                        if (!Files.exists(answer)) {
                          api.pushTag(repo, tag);
                          Path tmp = Path.of(answer + ".tmp");
                          Files.writeString(tmp, FakeDigitalOcean.tagDigest(tag));
                          Files.move(tmp, answer, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                        }
                      }
                    }
                  }
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (IOException | RuntimeException e) {
                  // a request half written: read it again on the next round
                }
              }
            },
            "lab-registry-" + host.name());
    t.setDaemon(true);
    t.start();
    registries.add(t);
  }

  void close() {
    registries.forEach(Thread::interrupt);
    api.close();
  }
}
