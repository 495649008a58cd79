package io.ferry.activities.edge;

import io.ferry.activities.Failures;
import io.ferry.contract.EdgeActivities.EdgeSite;
import io.ferry.contract.EdgeActivities.TestUsers;
import java.util.regex.Pattern;

/**
 * An nginx site for an {@link EdgeSite}: an upstream per backend and, between 1 and 99 %, a
 * weighted one; a {@code map} that sends test users to the new backend; the static root at {@code
 * /} and the proxied path. Every value is checked against a strict pattern first, since a config
 * file has no quoting that would make an arbitrary value safe.
 */
public final class NginxSite {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");
  private static final Pattern BACKEND =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");
  private static final Pattern SERVER_NAME =
      Pattern.compile("[A-Za-z0-9*_]([A-Za-z0-9._-]{0,252})");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]*");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}");
  private static final Pattern COOKIE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private NginxSite() {}

  /** The site's config; {@code newPercent} of other requests go to the new backend. */
  public static String render(EdgeSite site, boolean testUsersToNew, int newPercent) {
    check(site, newPercent);
    String id = "ferry_" + site.name().replace('-', '_');
    String old = id + "_old";
    String fresh = id + "_new";
    String split = id + "_split";
    String everyone = newPercent == 0 ? old : newPercent == 100 ? fresh : split;
    StringBuilder c = new StringBuilder();
    c.append("# Managed by Ferry (site ")
        .append(site.name())
        .append("): ")
        .append(newPercent)
        .append(" % to the new backend")
        .append(testUsersToNew ? ", test users to the new backend" : "")
        .append(". Change the plan, not this file.\n");
    c.append("upstream ")
        .append(old)
        .append(" {\n    server ")
        .append(site.oldBackend())
        .append(";\n}\n");
    c.append("upstream ")
        .append(fresh)
        .append(" {\n    server ")
        .append(site.newBackend())
        .append(";\n}\n");
    if (everyone.equals(split)) {
      c.append("upstream ")
          .append(split)
          .append(" {\n")
          .append("    server ")
          .append(site.oldBackend())
          .append(" weight=")
          .append(100 - newPercent)
          .append(";\n")
          .append("    server ")
          .append(site.newBackend())
          .append(" weight=")
          .append(newPercent)
          .append(";\n")
          .append("}\n");
    }
    TestUsers users = site.testUsers();
    String header =
        users == null || users.header() == null
            ? ""
            : users.header().toLowerCase().replace('-', '_');
    String cookie = users == null || users.cookie() == null ? "" : users.cookie();
    c.append("map \"")
        .append(header.isEmpty() ? "" : "$http_" + header)
        .append('|')
        .append(cookie.isEmpty() ? "" : "$cookie_" + cookie)
        .append("\" $")
        .append(id)
        .append("_backend {\n    default ")
        .append(everyone)
        .append(";\n");
    if (testUsersToNew && users != null) {
      String value = users.value().replace(".", "\\.");
      if (!header.isEmpty()) {
        c.append("    \"~^").append(value).append("\\|\" ").append(fresh).append(";\n");
      }
      if (!cookie.isEmpty()) {
        c.append("    \"~\\|").append(value).append("$\" ").append(fresh).append(";\n");
      }
    }
    c.append("}\n");
    c.append("server {\n    listen ").append(site.listen()).append(";\n");
    if (site.serverNames() != null && !site.serverNames().isEmpty()) {
      c.append("    server_name ").append(String.join(" ", site.serverNames())).append(";\n");
    }
    String proxy =
        " {\n        proxy_pass http://$"
            + id
            + "_backend;\n"
            + "        proxy_set_header Host $host;\n"
            + "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            + "        proxy_set_header X-Forwarded-Proto $scheme;\n"
            + "    }\n";
    if (site.staticRoot() != null) {
      c.append("    root ").append(site.staticRoot()).append(";\n");
      c.append("    location / {\n        try_files $uri $uri/ /index.html;\n    }\n");
    }
    c.append("    location ").append(site.proxiedPath()).append(proxy);
    if (site.staticRoot() == null && !site.proxiedPath().equals("/")) {
      c.append("    location /").append(proxy);
    }
    c.append("}\n");
    return c.toString();
  }

  private static void check(EdgeSite site, int newPercent) {
    Failures.require("site", site);
    matches("site.name", site.name(), NAME, "lowercase letters, digits and dashes");
    if (site.listen() < 1 || site.listen() > 65_535) {
      throw Failures.invalidInput(
          "site.listen must be a port from 1 to 65535, was " + site.listen());
    }
    if (site.serverNames() != null) {
      site.serverNames().forEach(n -> matches("site.serverNames", n, SERVER_NAME, "a host name"));
    }
    if (site.staticRoot() != null) {
      matches(
          "site.staticRoot",
          site.staticRoot(),
          PATH,
          "an absolute path of letters, digits, . _ - /");
    }
    matches("site.proxiedPath", site.proxiedPath(), PATH, "a path such as /api");
    matches("site.oldBackend", site.oldBackend(), BACKEND, "host:port");
    matches("site.newBackend", site.newBackend(), BACKEND, "host:port");
    TestUsers users = site.testUsers();
    if (users != null) {
      if (users.header() == null && users.cookie() == null) {
        throw Failures.invalidInput("site.testUsers needs a header or a cookie");
      }
      if (users.header() != null) {
        matches(
            "site.testUsers.header",
            users.header(),
            HEADER,
            "a header name such as X-Ferry-Canary");
      }
      if (users.cookie() != null) {
        matches(
            "site.testUsers.cookie", users.cookie(), COOKIE, "a cookie name such as ferry_canary");
      }
      matches("site.testUsers.value", users.value(), VALUE, "letters, digits, . _ -");
    }
    if (newPercent < 0 || newPercent > 100) {
      throw Failures.invalidInput("newPercent must be from 0 to 100, was " + newPercent);
    }
  }

  private static void matches(String field, String value, Pattern pattern, String what) {
    Failures.require(field, value);
    if (!pattern.matcher(value).matches()) {
      throw Failures.invalidInput(field + " must be " + what + ", was " + value);
    }
  }
}
