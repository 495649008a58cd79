package io.ferry.plan;

import java.util.List;
import java.util.regex.Pattern;

/** A PostgreSQL server and the role Ferry uses on it; the password is a reference. */
public record PostgresTarget(
    String host, Integer port, String database, String user, SecretRef password, String sslMode)
    implements Checked {

  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public PostgresTarget {
    port = port == null ? 5432 : port;
    sslMode = sslMode == null ? "prefer" : sslMode;
  }

  @Override
  public void check(PlanChecks checks) {
    if (checks.required("host", host)) {
      checks.host("host", host);
    }
    checks.port("port", port);
    if (checks.required("database", database)) {
      checks.matches("database", database, IDENTIFIER, "a lowercase SQL identifier");
    }
    if (checks.required("user", user)) {
      checks.matches("user", user, IDENTIFIER, "a lowercase SQL identifier");
    }
    checks.secret("password", password, true);
    checks.oneOf(
        "sslMode", sslMode, List.of("disable", "prefer", "require", "verify-ca", "verify-full"));
  }
}
