package io.ferry.worker.connect;

import io.ferry.activities.SecretResolver;
import io.ferry.plan.SecretRef;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One Temporal frontend as the CLI and the worker reach it: address, namespace, and how to prove
 * who we are (TLS with a private CA, a client certificate for mTLS, an API key). The one place both
 * build their service stubs from. Its text never holds a key, only where keys are.
 */
public final class TemporalEndpoint {

  public static final String DEFAULT_ADDRESS = "localhost:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  private final ClientConfigProfile profile;
  private final String apiKeySource;

  private TemporalEndpoint(ClientConfigProfile profile, String apiKeySource) {
    this.profile = profile;
    this.apiKeySource = apiKeySource;
  }

  /** A plain endpoint with neither TLS nor key (the embedded servers of tests and dev). */
  public static TemporalEndpoint plain(String address, String namespace) {
    return new TemporalEndpoint(
        ClientConfigProfile.newBuilder().setAddress(address).setNamespace(namespace).build(), null);
  }

  static TemporalEndpoint resolve(
      ConnectionOptions flags, String address, String namespace, Map<String, String> env) {
    ClientConfigProfile loaded = load(flags, env);
    ClientConfigProfile.Builder endpoint = loaded.toBuilder();
    endpoint.setAddress(
        address != null
            ? address
            : loaded.getAddress() != null ? loaded.getAddress() : DEFAULT_ADDRESS);
    endpoint.setNamespace(
        namespace != null
            ? namespace
            : loaded.getNamespace() != null ? loaded.getNamespace() : DEFAULT_NAMESPACE);
    ClientConfigTLS tls = tls(flags, loaded.getTls());
    endpoint.setTls(tls);
    String apiKeySource = loaded.getApiKey() != null ? "TEMPORAL_API_KEY or the profile" : null;
    if (flags.apiKey != null) {
      endpoint.setApiKey(apiKey(flags.apiKey, env));
      apiKeySource = flags.apiKey;
    }
    return new TemporalEndpoint(endpoint.build(), apiKeySource);
  }

  private static ClientConfigProfile load(ConnectionOptions flags, Map<String, String> env) {
    LoadClientConfigProfileOptions.Builder load =
        LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env);
    if (flags.profile != null) {
      load.setConfigFileProfile(flags.profile);
    }
    if (flags.configFile != null) {
      readable(flags.configFile, "--config-file", "Temporal's client configuration (TOML)");
      load.setConfigFilePath(flags.configFile.toString());
    }
    try {
      return ClientConfigProfile.load(load.build());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot use Temporal's client configuration"
              + (flags.profile == null ? "" : " (profile " + flags.profile + ")")
              + ": "
              + e.getMessage()
              + "; check --config-file / TEMPORAL_CONFIG_FILE and --profile / TEMPORAL_PROFILE",
          e);
    }
  }

  private static ClientConfigTLS tls(ConnectionOptions flags, ClientConfigTLS loaded) {
    boolean anyFlag =
        flags.caPath != null
            || flags.certPath != null
            || flags.keyPath != null
            || flags.serverName != null
            || flags.tls != null;
    if (!anyFlag) {
      return loaded;
    }
    ClientConfigTLS.Builder tls =
        loaded == null ? ClientConfigTLS.newBuilder() : ClientConfigTLS.newBuilder(loaded);
    if (flags.caPath != null) {
      readable(flags.caPath, "--tls-ca-path", "the CA certificate (PEM)");
      tls.setServerCACertPath(flags.caPath.toString()).setServerCACertData(null);
    }
    if (flags.certPath != null) {
      readable(flags.certPath, "--tls-cert-path", "the client certificate (PEM)");
      tls.setClientCertPath(flags.certPath.toString()).setClientCertData(null);
    }
    if (flags.keyPath != null) {
      readable(flags.keyPath, "--tls-key-path", "the client key (PKCS#8 PEM)");
      tls.setClientKeyPath(flags.keyPath.toString()).setClientKeyData(null);
    }
    if (flags.serverName != null) {
      tls.setServerName(flags.serverName);
    }
    tls.setDisabled(Boolean.FALSE.equals(flags.tls));
    ClientConfigTLS built = tls.build();
    boolean cert = built.getClientCertPath() != null || built.getClientCertData() != null;
    boolean key = built.getClientKeyPath() != null || built.getClientKeyData() != null;
    if (cert != key) {
      throw new IllegalArgumentException(
          "mTLS needs both the client certificate and its key: give --tls-cert-path and"
              + " --tls-key-path together");
    }
    return built;
  }

  private static void readable(Path file, String flag, String what) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          flag + " " + file + " is not a readable file; it should hold " + what);
    }
  }

  private static String apiKey(String reference, Map<String, String> env) {
    SecretRef ref = SecretRef.of(reference);
    if (!ref.wellFormed()) {
      // never echoed: it may be the key itself
      throw new IllegalArgumentException(
          "--api-key is not env:NAME or file:/absolute/path; name where the key is, never the key"
              + " itself");
    }
    try {
      return SecretResolver.withEnvironment(env::get).resolve(ref);
    } catch (ApplicationFailure | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--api-key " + ref.ref() + " does not resolve: set it, or name another reference", e);
    }
  }

  public String address() {
    return profile.getAddress();
  }

  public String namespace() {
    return profile.getNamespace();
  }

  /** Whether the connection is encrypted (TLS configured and not turned off, or an API key). */
  public boolean secure() {
    ClientConfigTLS tls = profile.getTls();
    if (tls != null) {
      return !Boolean.TRUE.equals(tls.isDisabled());
    }
    return profile.getApiKey() != null;
  }

  /** Options for the service stubs: target, TLS context, API key; callers add timeouts. */
  public WorkflowServiceStubsOptions.Builder stubsOptions() {
    try {
      return WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS for "
              + address()
              + ": "
              + rootMessage(e)
              + "; check --tls-ca-path, --tls-cert-path and --tls-key-path (PEM files; the key in"
              + " PKCS#8)",
          e);
    }
  }

  /** How we connect, for messages and logs: file names and references, never a secret. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    parts.add("namespace " + namespace());
    ClientConfigTLS tls = profile.getTls();
    if (secure()) {
      List<String> how = new ArrayList<>();
      if (tls != null && tls.getServerCACertPath() != null) {
        how.add("CA " + tls.getServerCACertPath());
      } else if (tls != null && tls.getServerCACertData() != null) {
        how.add("CA from the profile");
      }
      if (tls != null && (tls.getClientCertPath() != null || tls.getClientCertData() != null)) {
        how.add(
            "client certificate "
                + (tls.getClientCertPath() != null ? tls.getClientCertPath() : "from the profile"));
      }
      if (tls != null && tls.getServerName() != null) {
        how.add("server name " + tls.getServerName());
      }
      parts.add("TLS" + (how.isEmpty() ? "" : " (" + String.join(", ", how) + ")"));
    }
    if (apiKeySource != null) {
      parts.add("API key from " + apiKeySource);
    }
    return address() + " (" + String.join(", ", parts) + ")";
  }

  /**
   * What to check when a call failed for TLS reasons (an unknown CA, a name the certificate does
   * not carry, a client certificate the server refused, a server that does not speak TLS), or empty
   * for other failures.
   */
  public Optional<String> tlsFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) {
        return Optional.of(explain(t));
      }
      if (!secure() && t.getMessage() != null && t.getMessage().contains("first received frame")) {
        return Optional.of(
            "the server at "
                + address()
                + " did not answer plain gRPC; if it expects TLS, add --tls (and --tls-ca-path for"
                + " a private CA)");
      }
    }
    return Optional.empty();
  }

  private String explain(Throwable t) {
    String reason = rootMessage(t);
    if (reason.length() > 160) {
      reason = reason.substring(0, 160) + "..."; // some carry a hex dump of what arrived
    }
    String lower = reason.toLowerCase(Locale.ROOT);
    String check;
    if (lower.contains("certification path") || lower.contains("pkix")) {
      check =
          "the server's certificate is not signed by a CA this side trusts: check --tls-ca-path"
              + " (or TEMPORAL_TLS_SERVER_CA_CERT_PATH) names the CA that signed it";
    } else if (lower.contains("subject alternative") || lower.contains("no name matching")) {
      check =
          "the server's certificate does not name "
              + (profile.getTls() != null && profile.getTls().getServerName() != null
                  ? profile.getTls().getServerName()
                  : "the host of the address")
              + ": check --tls-server-name (or TEMPORAL_TLS_SERVER_NAME) against the names in"
              + " the certificate";
    } else if (lower.contains("certificate_required")
        || lower.contains("bad_certificate")
        || lower.contains("unknown_ca")
        || lower.contains("certificate_unknown")) {
      check =
          "the server refused this side's client certificate: check --tls-cert-path and"
              + " --tls-key-path name a certificate signed by a CA the server trusts for clients";
    } else if (lower.contains("not an ssl/tls record") || lower.contains("unrecognized ssl")) {
      check = "the server does not speak TLS there: check the address, or drop --tls";
    } else {
      check =
          "check --tls-ca-path (the CA that signed the server's certificate), --tls-server-name"
              + " (a name in that certificate) and, for mTLS, --tls-cert-path / --tls-key-path";
    }
    return "the TLS handshake with " + address() + " failed (" + reason + "): " + check;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
