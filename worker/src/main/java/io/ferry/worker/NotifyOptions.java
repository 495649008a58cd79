package io.ferry.worker;

import io.ferry.activities.notify.NotifySettings;
import io.ferry.plan.NotifyEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The notifier's options, shared by the worker and the CLI's embedded modes: default webhook
 * endpoints and the Temporal Web UI's address for links. Values are checked without being echoed.
 */
public final class NotifyOptions {

  @Option(
      names = "--notify",
      paramLabel = "ENDPOINT",
      description =
          "A default webhook for every migration whose plan has a notifications section"
              + " (repeatable): env:NAME or file:/path holding the URL (webhook URLs carry"
              + " tokens), or the URL itself where the command line is private.")
  List<String> endpoints = new ArrayList<>();

  @Option(
      names = "--notify-format",
      paramLabel = "json|slack",
      defaultValue = "json",
      description =
          "The payload the --notify endpoints get: json, or slack (a text field, for Slack,"
              + " Mattermost and Discord's /slack endpoint); default ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--web-ui",
      paramLabel = "URL",
      description =
          "The Temporal Web UI's address, such as http://localhost:8080, for links in"
              + " notifications (env "
              + NotifySettings.WEB_UI_VARIABLE
              + ").")
  String webUi;

  /**
   * The settings, or an {@link IllegalArgumentException} naming the option at fault.
   *
   * @param planEndpoints false in a rehearsal: only its own endpoints are posted to
   */
  public NotifySettings settings(boolean planEndpoints) {
    for (String endpoint : endpoints) {
      String problem = NotifySettings.problem("--notify", endpoint, true);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
    NotifyEndpoint.Format chosen =
        switch (format == null ? "json" : format.toLowerCase(Locale.ROOT)) {
          case "json" -> NotifyEndpoint.Format.JSON;
          case "slack" -> NotifyEndpoint.Format.SLACK;
          default ->
              throw new IllegalArgumentException(
                  "--notify-format is '" + format + "'; use json or slack");
        };
    String ui = webUi != null ? webUi : System.getenv(NotifySettings.WEB_UI_VARIABLE);
    if (ui != null && !ui.isBlank()) {
      String problem =
          NotifySettings.problem("--web-ui (or " + NotifySettings.WEB_UI_VARIABLE + ")", ui, false);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
    return new NotifySettings(endpoints, chosen, ui, planEndpoints);
  }

  public List<String> endpoints() {
    return List.copyOf(endpoints);
  }
}
