package io.ferry.activities.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.activities.Failures;
import io.ferry.activities.port.HelmPort;
import io.ferry.plan.SshTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link HelmPort} over SSH: the helm CLI on the master, where the charts (the deployment
 * repository) and K3s's own kubeconfig are, so neither crosses the network. Helm's {@code -o json}
 * is parsed, never its tables.
 */
public final class SshHelm implements HelmPort {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KUBECONFIG =
      "KUBECONFIG=" + SshK3sNodes.KUBECONFIG + "\nexport KUBECONFIG\n";
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final String INSTALL_HELM =
      "install Helm 3 on the master (https://helm.sh/docs/intro/install/)";

  private final SshSessions ssh;

  public SshHelm(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public List<Revision> history(SshTarget master, String namespace, String release) {
    ExecResult result =
        helm(
            master,
            "history",
            RemoteScript.option("release", release),
            "-n",
            ns(namespace),
            "-o",
            "json");
    if (!result.succeeded()) {
      if (result.stderr().contains("not found")) {
        return List.of();
      }
      throw failed(master, "helm history " + release, result);
    }
    List<Revision> out = new ArrayList<>();
    for (JsonNode r : json(result.stdout())) {
      out.add(
          new Revision(
              r.path("revision").asInt(),
              r.path("status").asText(),
              r.path("description").asText()));
    }
    return out;
  }

  @Override
  public int upgradeInstall(
      SshTarget master,
      String namespace,
      String release,
      String chart,
      String imageTag,
      String description) {
    if (imageTag == null || !TAG.matcher(imageTag).matches()) {
      throw Failures.invalidInput(
          "imageTag must be an image tag (letters, digits, . _ -), was " + imageTag);
    }
    ExecResult result =
        helm(
            master,
            "upgrade",
            "--install",
            RemoteScript.option("release", release),
            RemoteScript.option("chart", chart),
            "-n",
            ns(namespace),
            "--create-namespace",
            "--set",
            "global.imageTag=" + imageTag,
            "--description",
            RemoteScript.option("description", description),
            "-o",
            "json");
    if (!result.succeeded()) {
      throw failed(master, "helm upgrade --install " + release, result);
    }
    return json(result.stdout()).path("version").asInt();
  }

  @Override
  public void rollback(SshTarget master, String namespace, String release, int revision) {
    ExecResult result =
        helm(
            master,
            "rollback",
            RemoteScript.option("release", release),
            Integer.toString(revision),
            "-n",
            ns(namespace));
    if (!result.succeeded()) {
      throw failed(master, "helm rollback " + release + " " + revision, result);
    }
  }

  @Override
  public void uninstall(SshTarget master, String namespace, String release) {
    ExecResult result =
        helm(master, "uninstall", RemoteScript.option("release", release), "-n", ns(namespace));
    if (!result.succeeded() && !result.stderr().contains("not found")) {
      throw failed(master, "helm uninstall " + release, result);
    }
  }

  private ExecResult helm(SshTarget master, String... args) {
    List<String> words = new ArrayList<>(List.of("helm"));
    words.addAll(List.of(args));
    ExecResult result =
        ssh.exec(
            master, ExecRequest.of(RemoteScript.need("helm") + KUBECONFIG + Shell.words(words)));
    RemoteScript.requireInstalled(master, result, "helm", INSTALL_HELM);
    return result;
  }

  private static String ns(String namespace) {
    return RemoteScript.option("namespace", namespace);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("helm's JSON could not be read: " + e.getMessage(), e);
    }
  }

  private static IllegalStateException failed(SshTarget master, String what, ExecResult result) {
    return new IllegalStateException(
        what + " on " + master.host() + " failed: " + result.lastErrorLine());
  }
}
