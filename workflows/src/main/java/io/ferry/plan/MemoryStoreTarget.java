package io.ferry.plan;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A Redis-protocol store (Dragonfly, Redis, Valkey). The URL names host, port and database only;
 * the password is a reference, never part of the URL.
 *
 * @param url {@code redis://host:6379/0} or {@code rediss://host:6380/0} for TLS
 */
public record MemoryStoreTarget(String url, SecretRef password) implements Checked {

  private static final java.util.regex.Pattern DATABASE =
      java.util.regex.Pattern.compile("(/[0-9]{0,2})?");

  @Override
  public void check(PlanChecks checks) {
    if (!checks.required("url", url)) {
      return;
    }
    try {
      URI uri = new URI(url);
      if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
        checks.problem("url", "must start with redis:// or rediss:// (TLS)");
      } else if (uri.getUserInfo() != null) {
        checks.problem(
            "url",
            "must not carry credentials; name the password as memoryStore.password: env:NAME");
      } else if (uri.getHost() == null || !PlanChecks.isHost(uri.getHost())) {
        checks.problem("url", "has no valid host; write it as redis://host:6379/0");
      } else if (!DATABASE.matcher(uri.getRawPath() == null ? "" : uri.getRawPath()).matches()
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        checks.problem(
            "url", "may name only host, port and database number; write it as redis://host:6379/0");
      }
    } catch (URISyntaxException e) {
      checks.problem("url", "is not a URL; write it as redis://host:6379/0");
    }
    checks.secret("password", password, false);
  }
}
