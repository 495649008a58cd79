package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** K3s writes its kubeconfig for the master itself; the worker reaches the master's address. */
final class KubeconfigAddress {

  private static final Pattern LOCAL_SERVER =
      Pattern.compile("(server:\\s*https://)(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)");

  private KubeconfigAddress() {}

  /** {@code kubeconfig} with its local server address replaced by {@code address}. */
  static String pointAt(String kubeconfig, String address) {
    Matcher m = LOCAL_SERVER.matcher(kubeconfig);
    if (!m.find()) {
      if (kubeconfig.contains("server: https://" + address + ":")) {
        return kubeconfig;
      }
      throw Failures.precondition(
          "the master's kubeconfig names no local server (https://127.0.0.1:6443) to point at "
              + address);
    }
    String host = address.contains(":") ? "[" + address + "]" : address;
    return m.replaceAll(Matcher.quoteReplacement(m.group(1) + host) + "$3");
  }
}
