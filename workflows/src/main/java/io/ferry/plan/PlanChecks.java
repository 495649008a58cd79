package io.ferry.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects every problem in a plan, each named by its field path, so an operator fixes them all in
 * one pass instead of one per run.
 */
public final class PlanChecks {
  private static final Pattern S3_ENDPOINT =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?");
  private static final Pattern S3_REGION = Pattern.compile("[a-z0-9-]{2,32}");
  private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern S3_PREFIX = Pattern.compile("([A-Za-z0-9._-]+/)*");
  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]+");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");
  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}/\\d{1,2}|[0-9A-Fa-f:]+/\\d{1,3}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9@._-]{1,128}");
  private static final int MAX_TEXT = 4096;

  private final List<PlanProblem> problems;
  private final String path;

  public PlanChecks() {
    this(new ArrayList<>(), "");
  }

  private PlanChecks(List<PlanProblem> problems, String path) {
    this.problems = problems;
    this.path = path;
  }

  public List<PlanProblem> problems() {
    return List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /** Checks for the fields of a nested object. */
  public PlanChecks at(String field) {
    return new PlanChecks(problems, pathOf(field));
  }

  public void problem(String field, String message) {
    problems.add(new PlanProblem(pathOf(field), message));
  }

  public String pathOf(String field) {
    if (field == null || field.isEmpty()) {
      return path;
    }
    if (path.isEmpty()) {
      return field;
    }
    return field.startsWith("[") ? path + field : path + "." + field;
  }

  /** Reports a missing or blank value; returns whether the value is present. */
  public boolean required(String field, Object value) {
    if (value == null
        || (value instanceof String s && s.isBlank())
        || (value instanceof Collection<?> c && c.isEmpty())
        || (value instanceof Map<?, ?> m && m.isEmpty())) {
      problem(field, "is required");
      return false;
    }
    return true;
  }

  /** Checks a required nested object, then its own fields. */
  public void nested(String field, Checked value) {
    if (required(field, value)) {
      value.check(at(field));
    }
  }

  /** Checks an optional nested object when it is there. */
  public void optional(String field, Checked value) {
    if (value != null) {
      value.check(at(field));
    }
  }

  public void each(String field, List<? extends Checked> values) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      Checked value = values.get(i);
      if (value == null) {
        problem(field + "[" + i + "]", "is empty");
      } else {
        value.check(at(field + "[" + i + "]"));
      }
    }
  }

  public void text(String field, String value, int maxLength) {
    if (value != null && value.length() > Math.min(maxLength, MAX_TEXT)) {
      problem(
          field, "is " + value.length() + " characters long; at most " + maxLength + " allowed");
    }
    if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      problem(field, "contains control characters; remove them");
    }
  }

  public void matches(String field, String value, Pattern pattern, String expected) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_TEXT || !pattern.matcher(value).matches()) {
      problem(field, "'" + shown(value) + "' is not " + expected);
    }
  }

  public void oneOf(String field, String value, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      problem(field, "'" + shown(value) + "' is not one of " + String.join(", ", allowed));
    }
  }

  public void range(String field, Number value, double min, double max) {
    if (value == null) {
      return;
    }
    double v = value.doubleValue();
    if (Double.isNaN(v) || v < min || v > max) {
      problem(field, value + " is out of range; use a value from " + fmt(min) + " to " + fmt(max));
    }
  }

  public void positive(String field, Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      problem(field, "must be a positive duration such as 30s, 15m, 24h or 7d");
    }
  }

  public void atMost(String field, Duration value, Duration max) {
    if (value != null && value.compareTo(max) > 0) {
      problem(
          field, Durations.format(value) + " is longer than the limit of " + Durations.format(max));
    }
  }

  /** A DNS name or an IP address: nothing a shell or URL could misread. */
  /** A key of an environment file or app env: it becomes a shell variable name. */
  public void envKey(String field, String key) {
    matches(field, key, ENV_KEY, "an environment variable name (A-Z, 0-9, _)");
  }

  /** A systemd unit name, such as {@code api.service} or {@code worker@1}. */
  public void unitName(String field, String unit) {
    matches(field, unit, UNIT, "a systemd unit name");
  }

  public void host(String field, String value) {
    if (value == null) {
      return;
    }
    if (!isHost(value)) {
      problem(
          field,
          "'"
              + shown(value)
              + "' is not a host name or IP address (letters, digits, '-' and '.' only)");
    }
  }

  public static boolean isHost(String value) {
    if (value.isEmpty() || value.length() > 253) {
      return false;
    }
    if (IPV4.matcher(value).matches()) {
      for (String part : value.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    if (value.contains(":")) {
      return IPV6.matcher(value).matches();
    }
    for (String label : value.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  public void port(String field, Integer value) {
    range(field, value, 1, 65535);
  }

  public void absolutePath(String field, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > 1024
        || !PATH.matcher(value).matches()
        || value.contains("/../")
        || value.endsWith("/..")) {
      problem(
          field,
          "'"
              + shown(value)
              + "' is not an absolute path of letters, digits and . _ - / @ + (no '..')");
    }
  }

  /**
   * The fields every plan's S3-compatible bucket has (DigitalOcean Spaces or any S3 API): endpoint,
   * region, bucket, key prefix and the two key references.
   *
   * @param prefixExample a prefix the error shows, such as backups/
   */
  public void bucket(
      String endpoint,
      String region,
      String bucket,
      String prefix,
      SecretRef accessKey,
      SecretRef secretKey,
      String prefixExample) {
    if (required("endpoint", endpoint)) {
      matches(
          "endpoint", endpoint, S3_ENDPOINT, "a URL such as https://fra1.digitaloceanspaces.com");
    }
    matches("region", region, S3_REGION, "a region such as fra1");
    if (required("bucket", bucket)) {
      matches(
          "bucket", bucket, S3_BUCKET, "a bucket name (3-63 lowercase letters, digits, . and -)");
    }
    matches("prefix", prefix, S3_PREFIX, "a key prefix ending in / such as " + prefixExample);
    secret("accessKey", accessKey, true);
    secret("secretKey", secretKey, true);
  }

  public void cidr(String field, String value) {
    matches(field, value, CIDR, "an address range such as 10.120.0.0/16");
  }

  /** A reference such as env:NAME or file:/path; never echoes a value that may be the secret. */
  public void secret(String field, SecretRef value, boolean required) {
    if (value == null) {
      if (required) {
        problem(field, "is required: a reference such as env:NAME or file:/run/secrets/name");
      }
      return;
    }
    if (!value.wellFormed()) {
      problem(
          field,
          "must be a secret reference (env:NAME or file:/absolute/path, letters, digits and"
              + " . _ + @ = - / only), not the secret itself; put the value in an environment"
              + " variable or a file on the worker and name it");
    }
  }

  private static String shown(String value) {
    String cleaned =
        value
            .codePoints()
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return cleaned.length() > 80 ? cleaned.substring(0, 77) + "..." : cleaned;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
