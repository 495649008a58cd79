package io.ferry.activities.notify;

import io.ferry.plan.NotifyEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The worker's side of notifications: its default endpoints, the Temporal Web UI's address for
 * links, and whether the plan's own endpoints are contacted (a rehearsal posts only to its own).
 *
 * @param defaults the worker's default endpoints: a secret reference (env:NAME, file:/path) or, on
 *     the command line of a rehearsal, the URL itself
 * @param defaultFormat the payload the defaults get
 * @param webUi the Web UI's base address, such as http://localhost:8080, or null
 * @param planEndpoints false in a rehearsal: the plan's endpoints are named but not contacted
 */
public record NotifySettings(
    List<String> defaults,
    NotifyEndpoint.Format defaultFormat,
    String webUi,
    boolean planEndpoints) {

  /** The environment variable that names the Web UI's address (as {@code --web-ui} does). */
  public static final String WEB_UI_VARIABLE = "FERRY_WEB_UI";

  public NotifySettings {
    defaults = defaults == null ? List.of() : List.copyOf(defaults);
    defaultFormat = defaultFormat == null ? NotifyEndpoint.Format.JSON : defaultFormat;
    webUi = webUi == null || webUi.isBlank() ? null : webUi.replaceAll("/+$", "");
  }

  /** No defaults, no links; the plan's endpoints are contacted. */
  public static NotifySettings none() {
    return new NotifySettings(List.of(), null, null, true);
  }

  /**
   * Why {@code value} cannot be a default endpoint or the Web UI's address, or null. Names the
   * option, never the value (a URL may carry a token).
   */
  public static String problem(String option, String value, boolean secretAllowed) {
    if (value == null || value.isBlank()) {
      return option + " is empty";
    }
    if (secretAllowed && (value.startsWith("env:") || value.startsWith("file:"))) {
      return new io.ferry.plan.SecretRef(value).wellFormed()
          ? null
          : option + " must be env:NAME, file:/absolute/path or an http(s) URL";
    }
    try {
      URI uri = URI.create(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    return option
        + " is not an http(s) URL"
        + (secretAllowed ? " nor a secret reference (env:NAME, file:/path)" : "");
  }
}
