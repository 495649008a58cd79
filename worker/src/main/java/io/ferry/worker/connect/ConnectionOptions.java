package io.ferry.worker.connect;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection flags shared by {@code ferry worker} and the CLI's commands, named as in
 * Temporal's own CLI. Each overrides what the environment configuration says: the profile of {@code
 * temporal.toml} ({@code --profile}, env {@code TEMPORAL_PROFILE}), then the {@code TEMPORAL_*}
 * variables. Secrets are only ever named here, never given.
 */
public final class ConnectionOptions {

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "profile of Temporal's client configuration file (env TEMPORAL_PROFILE; default: default)")
  String profile;

  @Option(
      names = "--config-file",
      paramLabel = "TOML",
      description =
          "Temporal's client configuration file (env TEMPORAL_CONFIG_FILE; default:"
              + " ~/.config/temporalio/temporal.toml)")
  Path configFile;

  @Option(
      names = "--tls",
      negatable = true,
      description =
          "connect with TLS (on by itself when a CA, client certificate or API key is set)")
  Boolean tls;

  @Option(
      names = "--tls-ca-path",
      paramLabel = "PEM",
      description = "CA certificate the server's certificate must be signed by (a private CA)")
  Path caPath;

  @Option(
      names = "--tls-cert-path",
      paramLabel = "PEM",
      description = "client certificate for mTLS (with --tls-key-path)")
  Path certPath;

  @Option(
      names = "--tls-key-path",
      paramLabel = "PEM",
      description = "file holding the client certificate's private key (PKCS#8 PEM)")
  Path keyPath;

  @Option(
      names = "--tls-server-name",
      paramLabel = "NAME",
      description = "name the server's certificate must carry, when it differs from the address's")
  String serverName;

  @Option(
      names = "--api-key",
      paramLabel = "REF",
      description =
          "where the API key is (Temporal Cloud): env:NAME or file:/path, never the key itself"
              + " (env TEMPORAL_API_KEY holds the key, as for Temporal's tools)")
  String apiKey;

  /** Options as given on a command line; the fields are set by picocli. */
  public ConnectionOptions() {}

  /** The options a test or another command sets without parsing a command line. */
  public static ConnectionOptions of(
      Path caPath, Path certPath, Path keyPath, String serverName, String apiKeyRef) {
    ConnectionOptions options = new ConnectionOptions();
    options.caPath = caPath;
    options.certPath = certPath;
    options.keyPath = keyPath;
    options.serverName = serverName;
    options.apiKey = apiKeyRef;
    return options;
  }

  /** Copies what this command line set over {@code base} (flags after the command name win). */
  public ConnectionOptions over(ConnectionOptions base) {
    ConnectionOptions merged = new ConnectionOptions();
    merged.profile = profile != null ? profile : base.profile;
    merged.configFile = configFile != null ? configFile : base.configFile;
    merged.tls = tls != null ? tls : base.tls;
    merged.caPath = caPath != null ? caPath : base.caPath;
    merged.certPath = certPath != null ? certPath : base.certPath;
    merged.keyPath = keyPath != null ? keyPath : base.keyPath;
    merged.serverName = serverName != null ? serverName : base.serverName;
    merged.apiKey = apiKey != null ? apiKey : base.apiKey;
    return merged;
  }

  /** The endpoint these flags, the environment and the configuration file describe together. */
  public TemporalEndpoint resolve(String address, String namespace) {
    return TemporalEndpoint.resolve(this, address, namespace, System.getenv());
  }

  /** As {@link #resolve(String, String)} with the given environment (tests). */
  public TemporalEndpoint resolve(String address, String namespace, Map<String, String> env) {
    return TemporalEndpoint.resolve(this, address, namespace, env);
  }
}
