package io.ferry.activities.digitalocean;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for DigitalOcean's API v2 that keeps DO-shaped state and checks every request,
 * and its own answers, against DO's published OpenAPI description. A request the description does
 * not allow is answered 400 with the validator's message and recorded in {@link #violations()}.
 *
 * <p>Progressions: a droplet is {@code new} for its first two reads and then {@code active} with
 * addresses; an action is {@code in-progress} on its first read and {@code completed} after; a
 * deployment moves PENDING_BUILD → BUILDING → DEPLOYING → ACTIVE, one phase per read.
 */
public final class FakeDigitalOcean implements AutoCloseable {

  static final String TOKEN = "dop_v1_test_token_for_the_fake";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> requestBodies = new CopyOnWriteArrayList<>();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong(3_000_000);

  private final Map<Long, ObjectNode> droplets = new LinkedHashMap<>();
  private final Map<Long, Integer> dropletReads = new LinkedHashMap<>();
  private final Map<String, ObjectNode> volumes = new LinkedHashMap<>();
  private final Map<String, ObjectNode> firewalls = new LinkedHashMap<>();
  private final Map<String, Map<Long, ObjectNode>> domains = new LinkedHashMap<>();
  private final Map<Long, ObjectNode> actions = new LinkedHashMap<>();
  private final Map<Long, Runnable> actionEffects = new LinkedHashMap<>();
  private final Map<Long, List<ObjectNode>> snapshots = new LinkedHashMap<>();
  private final Map<String, ObjectNode> apps = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> deployments = new LinkedHashMap<>();
  private final Map<String, String> deploymentApp = new LinkedHashMap<>();
  private final Map<String, String[]> buildFailures = new LinkedHashMap<>();
  private final Map<String, List<String>> registryTags = new LinkedHashMap<>();
  private final Map<String, ObjectNode> databases = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> backups = new LinkedHashMap<>();
  private final List<ObjectNode> vpcs = new ArrayList<>();
  private final List<ObjectNode> projects = new ArrayList<>();
  private final List<String> projectResources = new ArrayList<>();
  private final java.util.Set<String> pinnedApps = new java.util.HashSet<>();
  private String registryName;
  private boolean nextActionErrors;
  private int maxPerPage = 200;

  /** An answer served instead of the real one, once, to the next matching request. */
  private record Fault(String method, Pattern path, int status, Map<String, String> headers) {}

  private interface Route {
    Answer handle(Matcher m, HttpExchange ex, JsonNode body, Map<String, String> query);
  }

  private record Answer(int status, JsonNode body) {}

  private final List<Object[]> routes = new ArrayList<>();

  private final String token;
  private java.util.function.Function<String, String> privateAddress = name -> null;

  FakeDigitalOcean() throws IOException {
    this(TOKEN);
  }

  /** A fake that accepts {@code token} as the bearer token (a leak check's distinctive value). */
  FakeDigitalOcean(String token) throws IOException {
    this(token, HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
  }

  /**
   * A fake serving on {@code server} (the lab's: HTTPS as api.digitalocean.com on a lab host),
   * accepting {@code token}.
   */
  public FakeDigitalOcean(String token, HttpServer server) {
    this.token = token;
    this.server = server;
    server.createContext("/", this::serve);
    server.start();
    defineRoutes();
  }

  /**
   * Gives a droplet, when it becomes active, the private address {@code privateAddress} names for
   * its name (the lab: a droplet is a lab host), instead of a made-up one; null keeps the made-up.
   */
  public synchronized void addressDroplets(
      java.util.function.Function<String, String> privateAddress) {
    this.privateAddress = privateAddress;
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int port() {
    return server.getAddress().getPort();
  }

  public List<String> violations() {
    return violations;
  }

  /** Every request as {@code METHOD /path?query}. */
  /** Every request but a GET, as {@code METHOD /path body}: what was asked to change. */
  public List<String> changes() {
    return changes;
  }

  public List<String> requests() {
    return requests;
  }

  List<String> requestBodies() {
    return requestBodies;
  }

  /** The next {@code method} request whose path matches answers {@code status} instead. */
  synchronized void failNext(
      String method, String pathRegex, int status, Map<String, String> headers) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), status, headers));
  }

  /** The next action (attach, detach, snapshot) ends {@code errored} instead of completing. */
  synchronized void failNextAction() {
    nextActionErrors = true;
  }

  /** The next deployment of the app fails its build of {@code component} with {@code message}. */
  synchronized void failNextBuild(String appId, String component, String message) {
    buildFailures.put(appId, new String[] {component, message});
  }

  /** DO serves at most 200 items a page; a test lowers this to make the client page. */
  synchronized void maxPerPage(int max) {
    maxPerPage = max;
  }

  /**
   * What the account holds now, one sorted line per resource (droplets, volumes, firewalls,
   * records, snapshots, apps, registry tags): the lab compares it before and after a rollback.
   */
  public synchronized List<String> inventory() {
    java.util.TreeSet<String> lines = new java.util.TreeSet<>();
    droplets.values().forEach(d -> lines.add("droplet " + d.path("name").asText()));
    volumes.values().forEach(v -> lines.add("volume " + v.path("name").asText()));
    firewalls.values().forEach(f -> lines.add("firewall " + f.path("name").asText()));
    domains.forEach(
        (domain, records) ->
            records
                .values()
                .forEach(
                    r ->
                        lines.add(
                            "record "
                                + r.path("name").asText()
                                + "."
                                + domain
                                + " "
                                + r.path("type").asText()
                                + " "
                                + r.path("data").asText())));
    snapshots.forEach(
        (droplet, list) -> list.forEach(x -> lines.add("snapshot " + x.path("name").asText())));
    apps.values().forEach(a -> lines.add("app " + a.path("spec").path("name").asText()));
    registryTags.forEach((repo, tags) -> tags.forEach(t -> lines.add("tag " + repo + ":" + t)));
    return List.copyOf(lines);
  }

  /** The stored spec of the app as DO keeps it (SECRET values encrypted). */
  synchronized ObjectNode appSpec(String appId) {
    return apps.get(appId).get("spec").deepCopy();
  }

  /** The tags of a repository the registry has now. */
  synchronized List<String> registryTags(String repository) {
    return List.copyOf(registryTags.getOrDefault(repository, List.of()));
  }

  public synchronized void seedRegistry(String name, Map<String, List<String>> tagsByRepository) {
    registryName = name;
    // mutable copies: a DELETE of a tag removes it from its list
    tagsByRepository.forEach((repo, tags) -> registryTags.put(repo, new ArrayList<>(tags)));
  }

  /** The manifest digest the registry lists for {@code tag}. */
  public static String tagDigest(String tag) {
    return "sha256:" + Integer.toHexString(tag.hashCode()).repeat(8);
  }

  /** A tag pushed to the registry (docker push goes to the registry, the API then lists it). */
  public synchronized void pushTag(String repository, String tag) {
    List<String> tags = new ArrayList<>(registryTags.getOrDefault(repository, List.of()));
    if (!tags.contains(tag)) {
      tags.add(tag);
    }
    registryTags.put(repository, tags);
  }

  public synchronized String seedDatabase(String name, String engine, int backupCount) {
    String id = UUID.randomUUID().toString();
    ObjectNode db = json.createObjectNode();
    db.put("id", id).put("name", name).put("engine", engine).put("version", "16");
    db.put("num_nodes", 1).put("size", "db-s-1vcpu-1gb").put("region", "fra1");
    db.put("status", "online").put("created_at", "2026-01-02T03:04:05Z");
    db.putObject("connection")
        .put("uri", "postgresql://doadmin:secret@db.example:25060/defaultdb?sslmode=require")
        .put("database", "defaultdb")
        .put("host", name + "-do-user-1.db.ondigitalocean.com")
        .put("port", 25060)
        .put("user", "doadmin")
        .put("password", "secret-password")
        .put("ssl", true);
    db.putObject("private_connection")
        .put("host", "private-" + name + "-do-user-1.db.ondigitalocean.com")
        .put("port", 25060);
    db.putArray("tags").add("ferry");
    databases.put(id, db);
    List<ObjectNode> list = new ArrayList<>();
    for (int i = 0; i < backupCount; i++) {
      list.add(
          json.createObjectNode()
              .put("created_at", "2026-11-" + String.format("%02d", 10 + i) + "T02:00:00Z")
              .put("size_gigabytes", 0.25 + i));
    }
    backups.put(id, list);
    return id;
  }

  synchronized void seedVpc(String id, String name, String region) {
    vpcs.add(
        json.createObjectNode()
            .put("id", id)
            .put("urn", "do:vpc:" + id)
            .put("name", name)
            .put("region", region)
            .put("ip_range", "10.120.0.0/20")
            .put("default", false)
            .put("created_at", "2026-01-02T03:04:05Z"));
  }

  synchronized void seedProject(String id, String name) {
    projects.add(
        json.createObjectNode()
            .put("id", id)
            .put("owner_uuid", UUID.randomUUID().toString())
            .put("owner_id", 1)
            .put("name", name)
            .put("description", "")
            .put("purpose", "Web Application")
            .put("environment", "Production")
            .put("is_default", false)
            .put("created_at", "2026-01-02T03:04:05Z")
            .put("updated_at", "2026-01-02T03:04:05Z"));
  }

  synchronized List<String> projectResources() {
    return List.copyOf(projectResources);
  }

  public synchronized void seedDomain(
      String domain, String name, String type, String data, int ttl) {
    records(domain).put(ids.incrementAndGet(), record(ids.get(), name, type, data, ttl));
  }

  synchronized Map<Long, ObjectNode> domainRecords(String domain) {
    return Map.copyOf(records(domain));
  }

  synchronized int dropletCount() {
    return droplets.size();
  }

  synchronized ObjectNode volume(String id) {
    return volumes.get(id);
  }

  /** A droplet made outside Ferry (another tool, an earlier run), active already. */
  public synchronized long seedDroplet(String name, String region, List<String> tags) {
    long id = ids.incrementAndGet();
    ObjectNode d = droplet(id, name, region, "s-1vcpu-1gb", "ubuntu-24-04-x64", tags);
    droplets.put(id, d);
    dropletReads.put(id, 10);
    activate(d);
    return id;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // --- serving -----------------------------------------------------------------------------

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getRawPath();
      byte[] raw = ex.getRequestBody().readAllBytes();
      String bodyText = new String(raw, StandardCharsets.UTF_8);
      Map<String, String> query = query(uri.getRawQuery());
      requests.add(
          method + " " + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
      if (!bodyText.isEmpty()) {
        requestBodies.add(bodyText);
      }
      if (!method.equals("GET")) {
        changes.add(method + " " + path + " " + bodyText);
      }

      SimpleRequest.Builder req = new SimpleRequest.Builder(method, path);
      ex.getRequestHeaders().forEach((k, v) -> req.withHeader(k, v));
      query.forEach(req::withQueryParam);
      if (!bodyText.isEmpty()) {
        req.withBody(bodyText);
      }
      SimpleRequest request = req.build();
      ValidationReport report = DigitalOceanSpec.validator().validateRequest(request);
      if (report.hasErrors()) {
        String message = method + " " + path + ": " + messages(report);
        violations.add("request " + message);
        send(
            ex,
            400,
            error("bad_request", "request does not match the DO API reference: " + message));
        return;
      }
      if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        send(ex, 401, error("unauthorized", "Unable to authenticate you."));
        return;
      }
      Answer answer;
      synchronized (this) {
        Fault fault = takeFault(method, path);
        if (fault != null) {
          fault.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          answer =
              new Answer(
                  fault.status(),
                  fault.status() == 429
                      ? error("too_many_requests", "API Rate limit exceeded.")
                      : error("server_error", "Unexpected server-side error"));
        } else {
          answer =
              route(method, path, ex, bodyText.isEmpty() ? null : json.readTree(bodyText), query);
        }
      }
      if (answer.body() != null && answer.status() != 204) {
        ValidationReport responseReport =
            DigitalOceanSpec.validator()
                .validateResponse(
                    path,
                    Request.Method.valueOf(method),
                    SimpleResponse.Builder.status(answer.status())
                        .withContentType("application/json")
                        .withBody(json.writeValueAsString(answer.body()))
                        .build());
        if (responseReport.hasErrors()) {
          violations.add("response " + method + " " + path + ": " + messages(responseReport));
        }
      }
      send(ex, answer.status(), answer.status() == 204 ? null : answer.body());
    } catch (RuntimeException e) {
      violations.add("fake failed on " + ex.getRequestURI() + ": " + e);
      send(ex, 500, error("server_error", e.toString()));
    }
  }

  private static String messages(ValidationReport report) {
    StringBuilder out = new StringBuilder();
    report
        .getMessages()
        .forEach(
            m -> {
              if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.append("[").append(m.getKey()).append("] ").append(m.getMessage()).append("; ");
              }
            });
    return out.toString();
  }

  private Fault takeFault(String method, String path) {
    for (Fault f : faults) {
      if (f.method().equals(method) && f.path().matcher(path).matches()) {
        faults.remove(f);
        return f;
      }
    }
    return null;
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("RateLimit-Limit", "5000");
    ex.getResponseHeaders().set("RateLimit-Remaining", "4999");
    if (!ex.getResponseHeaders().containsKey("RateLimit-Reset")) {
      ex.getResponseHeaders()
          .set("RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 60));
    }
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private Answer route(
      String method, String path, HttpExchange ex, JsonNode body, Map<String, String> query) {
    for (Object[] r : routes) {
      if (!r[0].equals(method)) {
        continue;
      }
      Matcher m = ((Pattern) r[1]).matcher(path);
      if (m.matches()) {
        return ((Route) r[2]).handle(m, ex, body, query);
      }
    }
    violations.add("the fake has no route for " + method + " " + path);
    return new Answer(
        404, error("not_found", "The resource you were accessing could not be found."));
  }

  private void on(String method, String regex, Route route) {
    routes.add(new Object[] {method, Pattern.compile(regex), route});
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  // --- routes ------------------------------------------------------------------------------

  private void defineRoutes() {
    String uuid = "([0-9a-f-]{36})";
    // Droplets
    on(
        "GET",
        "/v2/droplets",
        (m, ex, body, q) -> {
          List<JsonNode> all = new ArrayList<>();
          for (ObjectNode d : droplets.values()) {
            String tag = q.get("tag_name");
            if (tag == null || contains(d.path("tags"), tag)) {
              all.add(d);
            }
          }
          return page("/v2/droplets", q, "droplets", all);
        });
    on(
        "POST",
        "/v2/droplets",
        (m, ex, body, q) -> {
          long id = ids.incrementAndGet();
          List<String> tags = new ArrayList<>();
          body.path("tags").forEach(t -> tags.add(t.asText()));
          ObjectNode d =
              droplet(
                  id,
                  body.path("name").asText(),
                  body.path("region").asText(),
                  body.path("size").asText(),
                  body.path("image").asText(),
                  tags);
          if (body.hasNonNull("vpc_uuid")) {
            d.put("vpc_uuid", body.get("vpc_uuid").asText());
          }
          droplets.put(id, d);
          dropletReads.put(id, 0);
          ObjectNode out = json.createObjectNode();
          out.set("droplet", d);
          ObjectNode create = newAction("create", id, "droplet", () -> {});
          out.putObject("links")
              .putArray("actions")
              .addObject()
              .put("id", create.get("id").asLong())
              .put("rel", "create")
              .put("href", "https://api.digitalocean.com/v2/actions/" + create.get("id").asLong());
          return new Answer(202, out);
        });
    on(
        "GET",
        "/v2/droplets/(\\d+)",
        (m, ex, body, q) -> {
          long id = Long.parseLong(m.group(1));
          ObjectNode d = droplets.get(id);
          if (d == null) {
            return notFound();
          }
          int reads = dropletReads.merge(id, 1, Integer::sum);
          if (reads > 2 && "new".equals(d.path("status").asText())) {
            activate(d);
          }
          return ok("droplet", d);
        });
    on(
        "DELETE",
        "/v2/droplets/(\\d+)",
        (m, ex, body, q) -> {
          long id = Long.parseLong(m.group(1));
          if (droplets.remove(id) == null) {
            return notFound();
          }
          for (ObjectNode v : volumes.values()) {
            removeLong((ArrayNode) v.get("droplet_ids"), id);
          }
          return new Answer(204, null);
        });
    on(
        "POST",
        "/v2/droplets/(\\d+)/actions",
        (m, ex, body, q) -> {
          long id = Long.parseLong(m.group(1));
          ObjectNode d = droplets.get(id);
          if (d == null) {
            return notFound();
          }
          String type = body.path("type").asText();
          if (!"snapshot".equals(type)) {
            return new Answer(
                422, error("unprocessable_entity", "the fake supports snapshot only"));
          }
          String name = body.path("name").asText("snapshot-" + id);
          ObjectNode action =
              newAction(
                  "snapshot",
                  id,
                  "droplet",
                  () -> {
                    long snapId = ids.incrementAndGet();
                    ObjectNode s = json.createObjectNode();
                    s.put("id", snapId).put("name", name).put("type", "snapshot");
                    s.putArray("regions").add(d.path("region").path("slug").asText());
                    s.put("created_at", Instant.now().toString()).put("min_disk_size", 25);
                    s.put("size_gigabytes", 2.34);
                    snapshots.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
                    ((ArrayNode) d.get("snapshot_ids")).add(snapId);
                  });
          return new Answer(201, json.createObjectNode().set("action", action));
        });
    on(
        "GET",
        "/v2/droplets/(\\d+)/snapshots",
        (m, ex, body, q) -> {
          long id = Long.parseLong(m.group(1));
          if (!droplets.containsKey(id)) {
            return notFound();
          }
          // a snapshot appears once its action has run, as on DO, whoever watches the action
          dropletActions(id).forEach(this::advance);
          return page(
              "/v2/droplets/" + id + "/snapshots",
              q,
              "snapshots",
              new ArrayList<>(snapshots.getOrDefault(id, List.of())));
        });
    on(
        "GET",
        "/v2/droplets/(\\d+)/actions",
        (m, ex, body, q) -> {
          long id = Long.parseLong(m.group(1));
          if (!droplets.containsKey(id)) {
            return notFound();
          }
          return page(
              "/v2/droplets/" + id + "/actions",
              q,
              "actions",
              dropletActions(id).stream().map(FakeDigitalOcean::shownAction).toList());
        });
    on(
        "GET",
        "/v2/snapshots/(\\d+)",
        (m, ex, body, q) ->
            snapshot(Long.parseLong(m.group(1)))
                .map(s -> ok("snapshot", asSnapshotResource(s)))
                .orElseGet(this::notFound));
    on(
        "DELETE",
        "/v2/snapshots/(\\d+)",
        (m, ex, body, q) -> {
          long snapId = Long.parseLong(m.group(1));
          boolean removed =
              snapshots.values().stream()
                  .anyMatch(list -> list.removeIf(s -> s.path("id").asLong() == snapId));
          return removed ? new Answer(204, null) : notFound();
        });
    // Actions
    on(
        "GET",
        "/v2/actions/(\\d+)",
        (m, ex, body, q) -> {
          long id = Long.parseLong(m.group(1));
          ObjectNode a = actions.get(id);
          if (a == null) {
            return notFound();
          }
          return ok("action", advance(a));
        });
    // Volumes
    on(
        "GET",
        "/v2/volumes",
        (m, ex, body, q) -> page("/v2/volumes", q, "volumes", new ArrayList<>(volumes.values())));
    on(
        "POST",
        "/v2/volumes",
        (m, ex, body, q) -> {
          String id = UUID.randomUUID().toString();
          ObjectNode v = json.createObjectNode();
          v.put("id", id);
          v.set("region", region(body.path("region").asText()));
          v.putArray("droplet_ids");
          v.put("name", body.path("name").asText());
          v.put("description", body.path("description").asText(""));
          v.put("size_gigabytes", body.path("size_gigabytes").asInt());
          v.put("created_at", Instant.now().toString());
          v.put("filesystem_type", body.path("filesystem_type").asText(""));
          v.put("filesystem_label", body.path("filesystem_label").asText(""));
          v.set("tags", body.has("tags") ? body.get("tags").deepCopy() : json.createArrayNode());
          volumes.put(id, v);
          return new Answer(201, json.createObjectNode().set("volume", v));
        });
    on(
        "GET",
        "/v2/volumes/" + uuid,
        (m, ex, body, q) -> {
          ObjectNode v = volumes.get(m.group(1));
          return v == null ? notFound() : ok("volume", v);
        });
    on(
        "DELETE",
        "/v2/volumes/" + uuid,
        (m, ex, body, q) -> {
          ObjectNode v = volumes.get(m.group(1));
          if (v == null) {
            return notFound();
          }
          if (v.path("droplet_ids").size() > 0) {
            return new Answer(
                409, error("conflict", "volume is attached to a Droplet; detach it first"));
          }
          volumes.remove(m.group(1));
          return new Answer(204, null);
        });
    on(
        "POST",
        "/v2/volumes/" + uuid + "/actions",
        (m, ex, body, q) -> {
          ObjectNode v = volumes.get(m.group(1));
          if (v == null) {
            return notFound();
          }
          String type = body.path("type").asText();
          long dropletId = body.path("droplet_id").asLong();
          ObjectNode d = droplets.get(dropletId);
          if (d == null) {
            return notFound();
          }
          if (!v.path("region").path("slug").asText().equals(body.path("region").asText())) {
            return new Answer(422, error("unprocessable_entity", "region does not match"));
          }
          ArrayNode attached = (ArrayNode) v.get("droplet_ids");
          Runnable effect =
              "attach".equals(type)
                  ? () -> {
                    attached.add(dropletId);
                    ((ArrayNode) d.get("volume_ids")).add(v.get("id").asText());
                  }
                  : () -> {
                    removeLong(attached, dropletId);
                    removeText((ArrayNode) d.get("volume_ids"), v.get("id").asText());
                  };
          ObjectNode action =
              newAction(
                  "attach".equals(type) ? "attach_volume" : "detach_volume", 0, "volume", effect);
          action.set("region", v.get("region"));
          action.put("region_slug", v.path("region").path("slug").asText());
          return new Answer(202, json.createObjectNode().set("action", action));
        });
    // Firewalls
    on(
        "GET",
        "/v2/firewalls",
        (m, ex, body, q) ->
            page("/v2/firewalls", q, "firewalls", new ArrayList<>(firewalls.values())));
    on(
        "POST",
        "/v2/firewalls",
        (m, ex, body, q) -> {
          String id = UUID.randomUUID().toString();
          ObjectNode f = ((ObjectNode) body).deepCopy();
          f.put("id", id).put("status", "succeeded").put("created_at", Instant.now().toString());
          f.putArray("pending_changes");
          if (!f.has("tags")) {
            f.putArray("tags");
          }
          if (!f.has("droplet_ids")) {
            f.putArray("droplet_ids");
          }
          firewalls.put(id, f);
          return new Answer(202, json.createObjectNode().set("firewall", f));
        });
    on(
        "DELETE",
        "/v2/firewalls/" + uuid,
        (m, ex, body, q) ->
            firewalls.remove(m.group(1)) == null ? notFound() : new Answer(204, null));
    // Domains
    on(
        "GET",
        "/v2/domains/([^/]+)/records",
        (m, ex, body, q) ->
            page(
                "/v2/domains/" + m.group(1) + "/records",
                q,
                "domain_records",
                new ArrayList<>(records(m.group(1)).values())));
    on(
        "POST",
        "/v2/domains/([^/]+)/records",
        (m, ex, body, q) -> {
          long id = ids.incrementAndGet();
          ObjectNode r =
              record(
                  id,
                  body.path("name").asText(),
                  body.path("type").asText(),
                  body.path("data").asText(),
                  body.path("ttl").asInt(1800));
          records(m.group(1)).put(id, r);
          return new Answer(201, json.createObjectNode().set("domain_record", r));
        });
    on(
        "GET",
        "/v2/domains/([^/]+)/records/(\\d+)",
        (m, ex, body, q) -> {
          ObjectNode r = records(m.group(1)).get(Long.parseLong(m.group(2)));
          return r == null ? notFound() : ok("domain_record", r);
        });
    on(
        "PUT",
        "/v2/domains/([^/]+)/records/(\\d+)",
        (m, ex, body, q) -> {
          ObjectNode r = records(m.group(1)).get(Long.parseLong(m.group(2)));
          if (r == null) {
            return notFound();
          }
          for (String f : List.of("name", "data", "type")) {
            if (body.hasNonNull(f)) {
              r.put(f, body.get(f).asText());
            }
          }
          if (body.hasNonNull("ttl")) {
            r.put("ttl", body.get("ttl").asInt());
          }
          return ok("domain_record", r);
        });
    on(
        "DELETE",
        "/v2/domains/([^/]+)/records/(\\d+)",
        (m, ex, body, q) ->
            records(m.group(1)).remove(Long.parseLong(m.group(2))) == null
                ? notFound()
                : new Answer(204, null));
    // VPCs and projects
    on("GET", "/v2/vpcs", (m, ex, body, q) -> page("/v2/vpcs", q, "vpcs", new ArrayList<>(vpcs)));
    on(
        "GET",
        "/v2/projects",
        (m, ex, body, q) -> page("/v2/projects", q, "projects", new ArrayList<>(projects)));
    on(
        "POST",
        "/v2/projects/" + uuid + "/resources",
        (m, ex, body, q) -> {
          ArrayNode out = json.createArrayNode();
          for (JsonNode urn : body.path("resources")) {
            projectResources.add(urn.asText());
            out.addObject()
                .put("urn", urn.asText())
                .put("assigned_at", Instant.now().toString())
                .put("status", "assigned")
                .putObject("links")
                .put("self", "https://api.digitalocean.com/v2/resources");
          }
          return new Answer(200, json.createObjectNode().set("resources", out));
        });
    // Apps
    on(
        "GET",
        "/v2/apps",
        (m, ex, body, q) -> page("/v2/apps", q, "apps", new ArrayList<>(apps.values())));
    on(
        "POST",
        "/v2/apps",
        (m, ex, body, q) -> {
          String invalid = invalidSpec(body.path("spec"));
          if (invalid != null) {
            return new Answer(400, error("invalid_argument", invalid));
          }
          String id = UUID.randomUUID().toString();
          ObjectNode app = json.createObjectNode();
          app.put("id", id);
          app.put("owner_uuid", UUID.randomUUID().toString());
          app.set("spec", encryptSecrets(body.get("spec")));
          app.put(
              "default_ingress",
              "https://" + body.path("spec").path("name").asText() + "-x7k2q.ondigitalocean.app");
          app.put("created_at", Instant.now().toString());
          app.put("updated_at", Instant.now().toString());
          app.put("live_url", app.get("default_ingress").asText());
          app.putObject("region").put("slug", "fra").put("label", "Frankfurt");
          apps.put(id, app);
          deployments.put(id, new ArrayList<>());
          newDeployment(id, "initial deployment");
          return ok("app", app);
        });
    on(
        "GET",
        "/v2/apps/" + uuid,
        (m, ex, body, q) -> {
          ObjectNode app = apps.get(m.group(1));
          return app == null ? notFound() : ok("app", app);
        });
    on(
        "PUT",
        "/v2/apps/" + uuid,
        (m, ex, body, q) -> {
          ObjectNode app = apps.get(m.group(1));
          if (app == null) {
            return notFound();
          }
          String invalid = invalidSpec(body.path("spec"));
          if (invalid != null) {
            return new Answer(400, error("invalid_argument", invalid));
          }
          if (pinnedApps.contains(m.group(1))) {
            return pinned();
          }
          app.set("spec", encryptSecrets(body.get("spec")));
          app.put("updated_at", Instant.now().toString());
          newDeployment(m.group(1), "app spec updated");
          return ok("app", app);
        });
    on(
        "DELETE",
        "/v2/apps/" + uuid,
        (m, ex, body, q) ->
            apps.remove(m.group(1)) == null
                ? notFound()
                : new Answer(200, json.createObjectNode().put("id", m.group(1))));
    on(
        "POST",
        "/v2/apps/propose",
        (m, ex, body, q) -> {
          String invalid = invalidSpec(body.path("spec"));
          if (invalid != null) {
            return new Answer(400, error("invalid_argument", invalid));
          }
          String name = body.path("spec").path("name").asText();
          boolean taken =
              !body.has("app_id")
                  && apps.values().stream()
                      .anyMatch(a -> name.equals(a.path("spec").path("name").asText()));
          ObjectNode out = json.createObjectNode();
          out.put("app_is_static", false);
          out.put("app_name_available", !taken);
          if (taken) {
            out.put("app_name_suggestion", name + "-2");
          }
          out.set("spec", body.get("spec").deepCopy());
          out.put("app_cost", 12);
          return new Answer(200, out);
        });
    on(
        "GET",
        "/v2/apps/" + uuid + "/deployments",
        (m, ex, body, q) -> {
          List<ObjectNode> list = deployments.get(m.group(1));
          if (list == null) {
            return notFound();
          }
          List<JsonNode> newestFirst = new ArrayList<>(list);
          java.util.Collections.reverse(newestFirst);
          return page("/v2/apps/" + m.group(1) + "/deployments", q, "deployments", newestFirst);
        });
    on(
        "POST",
        "/v2/apps/" + uuid + "/deployments",
        (m, ex, body, q) ->
            !apps.containsKey(m.group(1))
                ? notFound()
                : pinnedApps.contains(m.group(1))
                    ? pinned()
                    : ok("deployment", newDeployment(m.group(1), "manual")));
    on(
        "GET",
        "/v2/apps/" + uuid + "/deployments/" + uuid,
        (m, ex, body, q) -> {
          ObjectNode d = deployment(m.group(1), m.group(2));
          if (d == null) {
            return notFound();
          }
          advance(m.group(1), d);
          return ok("deployment", shown(d));
        });
    on(
        "POST",
        "/v2/apps/" + uuid + "/rollback",
        (m, ex, body, q) -> {
          ObjectNode target = deployment(m.group(1), body.path("deployment_id").asText());
          if (target == null || !apps.containsKey(m.group(1))) {
            return notFound();
          }
          String phase = target.path("phase").asText();
          if (!"ACTIVE".equals(phase) && !"SUPERSEDED".equals(phase)) {
            return new Answer(
                400,
                error(
                    "invalid_argument",
                    "rollback validation failed: incompatible_phase: deployment "
                        + target.get("id").asText()
                        + " is "
                        + phase
                        + "; only a deployment that was live can be rolled back to"));
          }
          if (pinnedApps.contains(m.group(1))) {
            return pinned();
          }
          // DO pins the app to the rollback unless skip_pin is true
          if (!body.path("skip_pin").asBoolean(false)) {
            pinnedApps.add(m.group(1));
          }
          apps.get(m.group(1)).set("spec", target.get("spec").deepCopy());
          ObjectNode d = newDeployment(m.group(1), "rollback to " + target.get("id").asText());
          deployment(m.group(1), d.get("id").asText())
              .put("cloned_from", target.get("id").asText());
          d.put("cloned_from", target.get("id").asText());
          return ok("deployment", d);
        });
    on(
        "GET",
        "/v2/apps/" + uuid + "/deployments/" + uuid + "/components/([a-z0-9-]+)/logs",
        (m, ex, body, q) -> {
          if (deployment(m.group(1), m.group(2)) == null) {
            return notFound();
          }
          String base =
              "https://logs.ondigitalocean.app/"
                  + m.group(2)
                  + "/"
                  + m.group(3)
                  + "/"
                  + q.get("type").toLowerCase();
          ObjectNode out = json.createObjectNode();
          out.put("live_url", base + "/live?token=signed");
          out.putArray("historic_urls").add(base + "/archive-1.log?token=signed");
          return new Answer(200, out);
        });
    on(
        "GET",
        "/v2/apps/" + uuid + "/job-invocations",
        (m, ex, body, q) -> {
          if (!apps.containsKey(m.group(1))) {
            return notFound();
          }
          List<JsonNode> list = new ArrayList<>();
          String job = q.get("job_names");
          for (ObjectNode d : deployments.get(m.group(1))) {
            if (job == null || "migrate".equals(job)) {
              list.add(
                  json.createObjectNode()
                      .put("id", "inv-" + d.get("id").asText().substring(0, 8))
                      .put("job_name", "migrate")
                      .put("deployment_id", d.get("id").asText())
                      .put("phase", "SUCCEEDED")
                      .put("created_at", d.get("created_at").asText())
                      .put("completed_at", d.get("created_at").asText()));
            }
          }
          Answer answer =
              page("/v2/apps/" + m.group(1) + "/job-invocations", q, "job_invocations", list);
          ((ObjectNode) answer.body()).remove("meta"); // DO's schema has links only here
          return answer;
        });
    // Container Registry
    on(
        "GET",
        "/v2/registry",
        (m, ex, body, q) -> {
          if (registryName == null) {
            return notFound();
          }
          ObjectNode r = json.createObjectNode();
          r.put("name", registryName).put("created_at", "2026-01-02T03:04:05Z");
          r.put("region", "fra1").put("storage_usage_bytes", 123456789);
          r.put("storage_usage_bytes_updated_at", "2026-11-20T03:04:05Z");
          return ok("registry", r);
        });
    on(
        "GET",
        "/v2/registry/([a-z0-9-]+)/repositoriesV2",
        (m, ex, body, q) -> {
          if (!m.group(1).equals(registryName)) {
            return notFound();
          }
          List<JsonNode> list = new ArrayList<>();
          registryTags.forEach(
              (repo, tags) -> {
                ObjectNode r = json.createObjectNode();
                r.put("registry_name", registryName).put("name", repo);
                r.put("tag_count", tags.size()).put("manifest_count", tags.size());
                ObjectNode manifest = r.putObject("latest_manifest");
                manifest.put("digest", "sha256:" + "ab".repeat(32));
                manifest.put("registry_name", registryName).put("repository", repo);
                manifest.put("compressed_size_bytes", 1000).put("size_bytes", 2000);
                manifest.put("updated_at", "2026-11-20T03:04:05Z");
                manifest.putArray("tags").add(tags.get(tags.size() - 1));
                manifest.putArray("blobs");
                list.add(r);
              });
          return page("/v2/registry/" + registryName + "/repositoriesV2", q, "repositories", list);
        });
    on(
        "GET",
        "/v2/registry/([a-z0-9-]+)/repositories/([^/]+)/tags",
        (m, ex, body, q) -> {
          String repo = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
          List<String> tags = registryTags.get(repo);
          if (!m.group(1).equals(registryName) || tags == null) {
            return notFound();
          }
          List<JsonNode> list = new ArrayList<>();
          for (String t : tags) {
            ObjectNode tag = json.createObjectNode();
            tag.put("registry_name", registryName).put("repository", repo).put("tag", t);
            tag.put("manifest_digest", tagDigest(t));
            tag.put("compressed_size_bytes", 1000).put("size_bytes", 2000);
            tag.put("updated_at", "2026-11-20T03:04:05Z");
            list.add(tag);
          }
          return page(
              "/v2/registry/" + registryName + "/repositories/" + m.group(2) + "/tags",
              q,
              "tags",
              list);
        });
    on(
        "DELETE",
        "/v2/registry/([a-z0-9-]+)/repositories/([^/]+)/tags/([^/]+)",
        (m, ex, body, q) -> {
          String repo = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
          List<String> tags = registryTags.get(repo);
          if (!m.group(1).equals(registryName)
              || tags == null
              || !tags.remove(URLDecoder.decode(m.group(3), StandardCharsets.UTF_8))) {
            return notFound();
          }
          return new Answer(204, null);
        });
    // Databases
    on(
        "GET",
        "/v2/databases",
        (m, ex, body, q) ->
            new Answer(
                200,
                json.createObjectNode()
                    .set("databases", json.valueToTree(new ArrayList<>(databases.values())))));
    on(
        "GET",
        "/v2/databases/" + uuid,
        (m, ex, body, q) -> {
          ObjectNode d = databases.get(m.group(1));
          return d == null ? notFound() : ok("database", d);
        });
    on(
        "GET",
        "/v2/databases/" + uuid + "/backups",
        (m, ex, body, q) -> {
          List<ObjectNode> list = backups.get(m.group(1));
          return list == null
              ? notFound()
              : new Answer(200, json.createObjectNode().set("backups", json.valueToTree(list)));
        });
  }

  // --- state helpers -----------------------------------------------------------------------

  private Map<Long, ObjectNode> records(String domain) {
    return domains.computeIfAbsent(domain, d -> new LinkedHashMap<>());
  }

  private ObjectNode record(long id, String name, String type, String data, int ttl) {
    ObjectNode r = json.createObjectNode();
    r.put("id", id).put("type", type).put("name", name).put("data", data);
    r.putNull("priority")
        .putNull("port")
        .put("ttl", ttl)
        .putNull("weight")
        .putNull("flags")
        .putNull("tag");
    return r;
  }

  private ObjectNode droplet(
      long id, String name, String region, String size, String image, List<String> tags) {
    ObjectNode d = json.createObjectNode();
    d.put("id", id).put("name", name).put("memory", 1024).put("vcpus", 1).put("disk", 25);
    d.put("locked", false).put("status", "new").put("created_at", Instant.now().toString());
    d.putArray("features").add("monitoring");
    d.putArray("backup_ids");
    d.putNull("next_backup_window");
    d.putArray("snapshot_ids");
    ObjectNode img = d.putObject("image");
    img.put("id", 191457505).put("name", "24.04 (LTS) x64").put("distribution", "Ubuntu");
    img.put("slug", image).put("public", true).put("type", "base");
    img.putArray("regions").add(region);
    img.put("created_at", "2026-01-02T03:04:05Z").put("min_disk_size", 7);
    img.put("size_gigabytes", 2.36).put("description", "").put("status", "available");
    img.putArray("tags");
    d.putArray("volume_ids");
    ObjectNode sz = d.putObject("size");
    sz.put("slug", size).put("memory", 1024).put("vcpus", 1).put("disk", 25).put("transfer", 1.0);
    sz.put("price_monthly", 6.0).put("price_hourly", 0.00893).put("available", true);
    sz.put("description", "Basic");
    sz.putArray("regions").add(region);
    d.put("size_slug", size);
    ObjectNode networks = d.putObject("networks");
    networks.putArray("v4");
    networks.putArray("v6");
    d.set("region", region(region));
    ArrayNode t = d.putArray("tags");
    tags.forEach(t::add);
    return d;
  }

  private void activate(ObjectNode d) {
    long id = d.get("id").asLong();
    d.put("status", "active");
    ArrayNode v4 = (ArrayNode) d.path("networks").path("v4");
    String labAddress = privateAddress.apply(d.path("name").asText());
    v4.addObject()
        .put("ip_address", labAddress != null ? labAddress : "10.120.0." + (id % 200 + 2))
        .put("netmask", "255.255.240.0")
        .put("gateway", "10.120.0.1")
        .put("type", "private");
    v4.addObject()
        .put("ip_address", "164.90.1." + (id % 200 + 2))
        .put("netmask", "255.255.240.0")
        .put("gateway", "164.90.0.1")
        .put("type", "public");
  }

  private ObjectNode region(String slug) {
    ObjectNode r = json.createObjectNode();
    r.put("name", "Frankfurt 1").put("slug", slug);
    r.putArray("features").add("backups").add("ipv6").add("metadata");
    r.put("available", true);
    r.putArray("sizes").add("s-1vcpu-1gb").add("s-4vcpu-8gb");
    return r;
  }

  private ObjectNode newAction(String type, long resourceId, String resourceType, Runnable effect) {
    long id = ids.incrementAndGet();
    ObjectNode a = json.createObjectNode();
    a.put("id", id).put("status", "in-progress").put("type", type);
    a.put("started_at", Instant.now().toString()).putNull("completed_at");
    a.put("resource_id", resourceId).put("resource_type", resourceType);
    a.set("region", region("fra1"));
    a.put("region_slug", "fra1");
    a.put("_reads", 0);
    if (nextActionErrors) {
      a.put("_errors", true);
      nextActionErrors = false;
    }
    actions.put(id, a);
    actionEffects.put(id, effect);
    return shownAction(a);
  }

  /** An action completes (or errors) on the read after the first, running its effect once. */
  private ObjectNode advance(ObjectNode a) {
    if ("in-progress".equals(a.path("status").asText()) && a.path("_reads").asInt() >= 1) {
      Runnable effect = actionEffects.remove(a.path("id").asLong());
      if (a.path("_errors").asBoolean()) {
        a.put("status", "errored").put("completed_at", Instant.now().toString());
      } else {
        a.put("status", "completed").put("completed_at", Instant.now().toString());
        effect.run();
      }
    }
    a.put("_reads", a.path("_reads").asInt() + 1);
    return shownAction(a);
  }

  private static ObjectNode shownAction(ObjectNode a) {
    ObjectNode shown = a.deepCopy();
    shown.remove("_reads");
    shown.remove("_errors");
    return shown;
  }

  private List<ObjectNode> dropletActions(long dropletId) {
    return actions.values().stream()
        .filter(
            a ->
                "droplet".equals(a.path("resource_type").asText())
                    && a.path("resource_id").asLong() == dropletId)
        .toList();
  }

  /** {@code /v2/snapshots} shows a droplet snapshot with string id and its resource. */
  private ObjectNode asSnapshotResource(ObjectNode dropletSnapshot) {
    ObjectNode s = dropletSnapshot.deepCopy();
    s.remove("type");
    s.put("id", dropletSnapshot.path("id").asText());
    long dropletId =
        snapshots.entrySet().stream()
            .filter(e -> e.getValue().contains(dropletSnapshot))
            .mapToLong(Map.Entry::getKey)
            .findFirst()
            .orElse(0);
    s.put("resource_id", String.valueOf(dropletId)).put("resource_type", "droplet");
    s.putArray("tags");
    return s;
  }

  private java.util.Optional<ObjectNode> snapshot(long snapshotId) {
    return snapshots.values().stream()
        .flatMap(List::stream)
        .filter(s -> s.path("id").asLong() == snapshotId)
        .findFirst();
  }

  private ObjectNode newDeployment(String appId, String cause) {
    ObjectNode d = json.createObjectNode();
    String id = UUID.randomUUID().toString();
    d.put("id", id).put("cause", cause).put("phase", "PENDING_BUILD");
    d.put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
    d.put("phase_last_updated_at", Instant.now().toString());
    d.set("spec", apps.get(appId).get("spec").deepCopy());
    ObjectNode progress = d.putObject("progress");
    progress.put("pending_steps", 3).put("running_steps", 0).put("success_steps", 0);
    progress.put("error_steps", 0).put("total_steps", 3);
    String[] failure = buildFailures.remove(appId);
    if (failure != null) {
      d.put("_fail_component", failure[0]).put("_fail_message", failure[1]);
    }
    progress(d);
    deployments.get(appId).add(d);
    deploymentApp.put(id, appId);
    ObjectNode app = apps.get(appId);
    app.set("in_progress_deployment", shown(d));
    app.set("pending_deployment", shown(d));
    return shown(d);
  }

  private ObjectNode shown(ObjectNode d) {
    ObjectNode copy = d.deepCopy();
    copy.remove("_fail_component");
    copy.remove("_fail_message");
    return copy;
  }

  /** The stored deployment (with the fake's private fields), or null. */
  private ObjectNode deployment(String appId, String deploymentId) {
    List<ObjectNode> list = deployments.get(appId);
    if (list == null) {
      return null;
    }
    return list.stream()
        .filter(d -> deploymentId.equals(d.get("id").asText()))
        .findFirst()
        .orElse(null);
  }

  /** Moves the stored deployment one phase on. */
  private void advance(String appId, ObjectNode d) {
    String phase = d.get("phase").asText();
    String next =
        switch (phase) {
          case "PENDING_BUILD" -> "BUILDING";
          case "BUILDING" -> d.has("_fail_component") ? "ERROR" : "DEPLOYING";
          case "DEPLOYING" -> "ACTIVE";
          default -> phase;
        };
    if (!next.equals(phase)) {
      d.put("phase", next).put("phase_last_updated_at", Instant.now().toString());
      ObjectNode app = apps.get(appId);
      progress(d);
      if ("ERROR".equals(next)) {
        app.remove("in_progress_deployment");
        app.remove("pending_deployment");
      } else if ("ACTIVE".equals(next)) {
        for (ObjectNode other : deployments.get(appId)) {
          if (other != d && "ACTIVE".equals(other.path("phase").asText())) {
            other.put("phase", "SUPERSEDED");
          }
        }
        app.set("active_deployment", shown(d));
        app.remove("in_progress_deployment");
        app.remove("pending_deployment");
        app.put("last_deployment_created_at", d.get("created_at").asText());
      } else if (app.has("in_progress_deployment")) {
        app.set("in_progress_deployment", shown(d));
      }
    }
  }

  /**
   * DO's progress for the deployment's phase: a {@code build} step with one sub-step per component
   * and a {@code deploy} step with one per component (PRE_DEPLOY jobs first); a failed build names
   * its component with DO's reason.
   */
  private void progress(ObjectNode d) {
    String phase = d.get("phase").asText();
    String failing = d.path("_fail_component").asText(null);
    boolean failed = "ERROR".equals(phase);
    String build =
        switch (phase) {
          case "PENDING_BUILD" -> "PENDING";
          case "BUILDING" -> "RUNNING";
          case "ERROR" -> "ERROR";
          default -> "SUCCESS";
        };
    String deploy =
        switch (phase) {
          case "DEPLOYING" -> "RUNNING";
          case "ACTIVE", "SUPERSEDED" -> "SUCCESS";
          default -> "PENDING";
        };
    List<String[]> components = new ArrayList<>();
    for (JsonNode job : d.path("spec").path("jobs")) {
      if ("PRE_DEPLOY".equals(job.path("kind").asText())) {
        components.add(
            new String[] {job.path("name").asText(), "pre-deploy", "Running pre-deploy job"});
      }
    }
    for (String list : List.of("services", "workers")) {
      d.path("spec")
          .path(list)
          .forEach(
              c -> components.add(new String[] {c.path("name").asText(), "deploy", "Deploying"}));
    }
    ObjectNode progress = (ObjectNode) d.get("progress");
    ArrayNode steps = progress.putArray("steps");
    ObjectNode buildStep = steps.addObject().put("name", "build").put("status", build);
    ArrayNode builds = buildStep.putArray("steps");
    ObjectNode deployStep = steps.addObject().put("name", "deploy").put("status", deploy);
    ArrayNode deploys = deployStep.putArray("steps");
    for (String[] c : components) {
      ObjectNode b = builds.addObject().put("name", "build").put("component_name", c[0]);
      b.put("message_base", "Building")
          .put("status", failed && !c[0].equals(failing) ? "SUCCESS" : build);
      if (failed && c[0].equals(failing)) {
        b.putObject("reason")
            .put("code", "BuildJobFailed")
            .put("message", d.get("_fail_message").asText());
      }
      deploys
          .addObject()
          .put("name", c[1])
          .put("component_name", c[0])
          .put("message_base", c[2])
          .put("status", deploy);
    }
    int total = 2 + 2 * components.size();
    int error = failed ? 2 : 0;
    int success =
        "SUCCESS".equals(deploy)
            ? total
            : "SUCCESS".equals(build) ? 1 + components.size() : failed ? components.size() - 1 : 0;
    int running = "RUNNING".equals(build) || "RUNNING".equals(deploy) ? 1 + components.size() : 0;
    progress.put("total_steps", total).put("error_steps", error).put("success_steps", success);
    progress
        .put("running_steps", running)
        .put("pending_steps", Math.max(0, total - error - success - running));
  }

  private Answer pinned() {
    return new Answer(
        400,
        error(
            "invalid_argument",
            "app is pinned to a rollback deployment; commit or revert the rollback first"));
  }

  /** DO keeps SECRET values encrypted and shows them as {@code EV[...]} from then on. */
  private ObjectNode encryptSecrets(JsonNode spec) {
    ObjectNode copy = spec.deepCopy();
    List<JsonNode> envLists = new ArrayList<>();
    envLists.add(copy.path("envs"));
    for (String list : List.of("services", "workers", "jobs", "static_sites")) {
      copy.path(list).forEach(c -> envLists.add(c.path("envs")));
    }
    for (JsonNode envs : envLists) {
      for (JsonNode e : envs) {
        String value = e.path("value").asText("");
        if ("SECRET".equals(e.path("type").asText()) && !value.startsWith("EV[")) {
          ((ObjectNode) e)
              .put(
                  "value",
                  "EV[1:"
                      + java.util.Base64.getEncoder()
                          .encodeToString(
                              UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8))
                                  .toString()
                                  .getBytes(StandardCharsets.UTF_8))
                      + "]");
        }
      }
    }
    return copy;
  }

  /** What DO's spec validation says of a few common mistakes. */
  private static String invalidSpec(JsonNode spec) {
    String name = spec.path("name").asText("");
    if (!name.matches("[a-z][a-z0-9-]{0,30}[a-z0-9]")) {
      return "error validating app spec field \"name\": must match ^[a-z][a-z0-9-]{0,30}[a-z0-9]$";
    }
    for (int i = 0; i < spec.path("services").size(); i++) {
      JsonNode image = spec.path("services").get(i).path("image");
      if (image.isObject() && image.path("repository").asText("").isBlank()) {
        return "error validating app spec field \"services["
            + i
            + "].image.repository\": repository is required";
      }
    }
    for (JsonNode service : spec.path("services")) {
      if (!service.has("image") && !service.has("github") && !service.has("git")) {
        return "error validating app spec field \"services."
            + service.path("name").asText()
            + "\": a source (image, git, github, gitlab) is required";
      }
    }
    return null;
  }

  // --- answers -----------------------------------------------------------------------------

  private Answer ok(String field, JsonNode value) {
    return new Answer(200, json.createObjectNode().set(field, value));
  }

  private Answer notFound() {
    return new Answer(
        404, error("not_found", "The resource you were accessing could not be found."));
  }

  private ObjectNode error(String id, String message) {
    return json.createObjectNode().put("id", id).put("message", message);
  }

  /** One page of {@code all}, with DO's {@code links.pages} and {@code meta.total}. */
  private Answer page(
      String path, Map<String, String> q, String field, List<? extends JsonNode> all) {
    int perPage = Math.min(maxPerPage, Integer.parseInt(q.getOrDefault("per_page", "20")));
    int page = Integer.parseInt(q.getOrDefault("page", "1"));
    int from = Math.min(all.size(), (page - 1) * perPage);
    int to = Math.min(all.size(), from + perPage);
    ObjectNode out = json.createObjectNode();
    ArrayNode items = out.putArray(field);
    all.subList(from, to).forEach(items::add);
    ObjectNode pages = out.putObject("links").putObject("pages");
    StringBuilder rest = new StringBuilder();
    q.forEach(
        (k, v) -> {
          if (!k.equals("page") && !k.equals("per_page")) {
            rest.append('&').append(k).append('=').append(v);
          }
        });
    String base = "https://api.digitalocean.com" + path + "?per_page=" + perPage + rest + "&page=";
    if (to < all.size()) {
      pages.put("next", base + (page + 1));
      pages.put("last", base + ((all.size() + perPage - 1) / perPage));
    }
    if (page > 1) {
      pages.put("first", base + 1);
      pages.put("prev", base + (page - 1));
    }
    out.putObject("meta").put("total", all.size());
    return new Answer(200, out);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.asText())) {
        return true;
      }
    }
    return false;
  }

  private static void removeLong(ArrayNode array, long value) {
    for (int i = array.size() - 1; i >= 0; i--) {
      if (array.get(i).asLong() == value) {
        array.remove(i);
      }
    }
  }

  private static void removeText(ArrayNode array, String value) {
    for (int i = array.size() - 1; i >= 0; i--) {
      if (value.equals(array.get(i).asText())) {
        array.remove(i);
      }
    }
  }
}
