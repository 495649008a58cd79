package io.ferry.activities.weaviate;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Weaviate 1.30 for adapter tests: classes, tenants and objects in memory.
 * Every request is first checked against Weaviate's published OpenAPI reference ({@code
 * specs/weaviate-openapi.json}); a request it does not allow is answered 422 and recorded in {@link
 * #violations()}. Answers have Weaviate's shapes, including the GraphQL {@code Aggregate} and
 * {@code Get} queries the client sends (meta count, ids by filter, near-vector).
 */
public final class WeaviateStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** Parsed once per JVM: the reference is 440 kB. */
  private static final class Spec {
    static final OpenApiInteractionValidator VALIDATOR =
        OpenApiInteractionValidator.createForInlineApiSpecification(load())
            .withResolveRefs(true)
            .withResolveCombinators(true)
            .withWhitelist(
                ValidationErrorsWhitelist.create()
                    .withRule("float in exponent notation is no overflow", Spec::notAnOverflow))
            .build();

    private static final Pattern FLOAT_OVERFLOW =
        Pattern.compile("original: ([^,]+), converted: ([^)]+)\\)");

    /**
     * The validator's {@code format: float} check compares the decimal text with the float's text,
     * so 0.00012 ("1.2E-4") counts as an overflow. Only a value that really changes is one.
     */
    private static boolean notAnOverflow(
        ValidationReport.Message message, ApiOperation operation, Request request, Response r) {
      Matcher m = FLOAT_OVERFLOW.matcher(message.getMessage());
      if (!message.getMessage().contains("leads to overflow") || !m.find()) {
        return false;
      }
      double original = Double.parseDouble(m.group(1));
      float converted = Float.parseFloat(m.group(2));
      return Float.isFinite(converted) && (float) original == converted;
    }

    private static String load() {
      try (InputStream in =
          WeaviateStandIn.class.getResourceAsStream("/specs/weaviate-openapi.json")) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class WeaviateClass {
    final ObjectNode definition;
    final boolean multiTenant;
    final Map<String, Map<String, ObjectNode>> shards = new TreeMap<>();

    WeaviateClass(ObjectNode definition) {
      this.definition = definition;
      this.multiTenant = definition.path("multiTenancyConfig").path("enabled").asBoolean(false);
      if (!multiTenant) {
        shards.put("", new LinkedHashMap<>());
      }
    }
  }

  private final HttpServer server;
  private final String apiKey;
  private final boolean validate;
  private final Map<String, WeaviateClass> classes = new TreeMap<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger batchUpserts = new AtomicInteger();
  private final AtomicInteger upsertedObjects = new AtomicInteger();
  private final AtomicInteger tenantCreations = new AtomicInteger();

  /**
   * @param apiKey the bearer token every request must carry, or null for none
   * @param validate false only for benchmarks, where validating large bodies would cost more than
   *     the work measured
   */
  public WeaviateStandIn(String apiKey, boolean validate) {
    this(apiKey, validate, new InetSocketAddress("127.0.0.1", 0));
  }

  /** A stand-in listening on {@code address} (the lab's: a lab host's address, port 8080). */
  public WeaviateStandIn(String apiKey, boolean validate, InetSocketAddress address) {
    this.apiKey = apiKey;
    this.validate = validate;
    if (validate) {
      Spec.VALIDATOR.hashCode(); // load the reference before the first timed request
    }
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public WeaviateStandIn() {
    this(null, true);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests the reference does not allow, with the validator's messages. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Method and path of every request, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** How many batch upsert requests arrived. */
  public int batchUpserts() {
    return batchUpserts.get();
  }

  /** How many objects all batch upserts carried (an object sent twice counts twice). */
  public int upsertedObjects() {
    return upsertedObjects.get();
  }

  public int tenantCreations() {
    return tenantCreations.get();
  }

  /** The class definition as created, or null. */
  public synchronized JsonNode classDefinition(String name) {
    WeaviateClass c = classes.get(name);
    return c == null ? null : c.definition.deepCopy();
  }

  /** The objects stored in a class's tenant (null tenant: a class without multi-tenancy). */
  public synchronized Map<String, ObjectNode> objects(String className, String tenant) {
    WeaviateClass c = classes.get(className);
    Map<String, ObjectNode> shard = c == null ? null : c.shards.get(tenant == null ? "" : tenant);
    return shard == null ? Map.of() : Map.copyOf(shard);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      URI uri = exchange.getRequestURI();
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(method + " " + uri.getPath());
      if (validate) {
        ValidationReport report = Spec.VALIDATOR.validateRequest(request(exchange, uri, body));
        if (report.hasErrors()) {
          String message = method + " " + uri + ": " + report.getMessages();
          violations.add(message);
          answer(exchange, 422, error(message));
          return;
        }
      }
      if (apiKey != null
          && !("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer(
            exchange, 401, JSON.createObjectNode().put("code", 401).put("message", "unauthorized"));
        return;
      }
      Answer a =
          route(method, uri.getPath(), query(uri), body.length == 0 ? null : JSON.readTree(body));
      answer(exchange, a.status(), a.body());
    } catch (RuntimeException e) {
      violations.add("stand-in failed: " + e);
      answer(exchange, 500, error(e.toString()));
    }
  }

  private record Answer(int status, JsonNode body) {}

  private synchronized Answer route(
      String method, String path, Map<String, String> query, JsonNode body) {
    List<String> p = List.of(path.replaceFirst("^/v1/?", "").split("/"));
    String route = method + " " + String.join("/", p.stream().map(WeaviateStandIn::shape).toList());
    switch (route) {
      case "GET .well-known/ready":
        return new Answer(200, null);
      case "GET meta":
        return new Answer(
            200,
            JSON.createObjectNode()
                .put("hostname", "http://[::]:8080")
                .put("version", "1.30.0")
                .set("modules", JSON.createObjectNode()));
      case "POST schema":
        {
          String name = body.path("class").asText();
          if (classes.containsKey(name)) {
            return new Answer(422, error("class name " + name + " already exists"));
          }
          classes.put(name, new WeaviateClass((ObjectNode) body.deepCopy()));
          return new Answer(200, body);
        }
      case "GET schema/{}":
        {
          WeaviateClass c = classes.get(p.get(1));
          return c == null ? new Answer(404, null) : new Answer(200, c.definition);
        }
      case "DELETE schema/{}":
        classes.remove(p.get(1));
        return new Answer(200, null);
      case "GET schema/{}/tenants":
        {
          WeaviateClass c = classes.get(p.get(1));
          if (c == null) {
            return new Answer(404, null);
          }
          ArrayNode tenants = JSON.createArrayNode();
          c.shards
              .keySet()
              .forEach(t -> tenants.addObject().put("name", t).put("activityStatus", "HOT"));
          return new Answer(200, tenants);
        }
      case "HEAD schema/{}/tenants/{}":
        {
          WeaviateClass c = classes.get(p.get(1));
          return new Answer(
              c != null && c.multiTenant && c.shards.containsKey(p.get(3)) ? 200 : 404, null);
        }
      case "POST schema/{}/tenants":
        {
          WeaviateClass c = classes.get(p.get(1));
          if (c == null || !c.multiTenant) {
            return new Answer(422, error("class " + p.get(1) + " is not multi-tenant"));
          }
          for (JsonNode t : body) {
            c.shards.putIfAbsent(t.path("name").asText(), new LinkedHashMap<>());
            tenantCreations.incrementAndGet();
          }
          return new Answer(200, body);
        }
      case "POST batch/objects":
        return batchUpsert(body);
      case "DELETE batch/objects":
        return batchDelete(body, query.get("tenant"));
      case "POST graphql":
        return graphQl(body.path("query").asText());
      default:
        violations.add("the stand-in does not serve " + method + " " + path);
        return new Answer(404, error("no such route " + method + " " + path));
    }
  }

  private static String shape(String segment) {
    return segment.equals("schema")
            || segment.equals("tenants")
            || segment.equals("batch")
            || segment.equals("objects")
            || segment.equals("graphql")
            || segment.equals("meta")
            || segment.equals(".well-known")
            || segment.equals("ready")
        ? segment
        : "{}";
  }

  private Answer batchUpsert(JsonNode body) {
    batchUpserts.incrementAndGet();
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode o : body.path("objects")) {
      upsertedObjects.incrementAndGet();
      ObjectNode echo = ((ObjectNode) o.deepCopy());
      String problem = null;
      WeaviateClass c = classes.get(o.path("class").asText());
      String tenant = o.path("tenant").asText("");
      if (c == null) {
        problem = "class " + o.path("class").asText() + " does not exist";
      } else if (c.multiTenant && tenant.isEmpty()) {
        problem =
            "class "
                + o.path("class").asText()
                + " has multi-tenancy enabled, but request was without tenant";
      } else if (!c.shards.containsKey(tenant)) {
        problem = "tenant not found: \"" + tenant + "\"";
      } else if (!UUID_TEXT.matcher(o.path("id").asText()).matches()) {
        problem = "invalid id " + o.path("id").asText();
      } else {
        c.shards.get(tenant).put(o.path("id").asText(), echo.deepCopy());
      }
      ObjectNode result = echo.putObject("result");
      if (problem == null) {
        result.put("status", "SUCCESS");
      } else {
        result
            .put("status", "FAILED")
            .putObject("errors")
            .putArray("error")
            .addObject()
            .put("message", problem);
      }
      out.add(echo);
    }
    return new Answer(200, out);
  }

  private Answer batchDelete(JsonNode body, String tenant) {
    JsonNode match = body.path("match");
    WeaviateClass c = classes.get(match.path("class").asText());
    if (c == null) {
      return new Answer(422, error("class " + match.path("class").asText() + " does not exist"));
    }
    Map<String, ObjectNode> shard = c.shards.get(tenant == null ? "" : tenant);
    if (shard == null) {
      return new Answer(422, error("tenant not found: \"" + tenant + "\""));
    }
    JsonNode where = match.path("where");
    if (!"ContainsAny".equals(where.path("operator").asText())
        || !"id".equals(where.path("path").path(0).asText())) {
      return new Answer(422, error("the stand-in deletes by id ContainsAny only: " + where));
    }
    long matches = 0;
    for (JsonNode id :
        where.path("valueTextArray").isMissingNode()
            ? where.path("valueText")
            : where.path("valueTextArray")) {
      if (shard.remove(id.asText()) != null) {
        matches++;
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("match", match);
    out.put("output", body.path("output").asText("minimal"));
    out.put("dryRun", false);
    out.putObject("results")
        .put("matches", matches)
        .put("limit", 10000)
        .put("successful", matches)
        .put("failed", 0);
    return new Answer(200, out);
  }

  private Answer graphQl(String query) {
    Matcher m = Pattern.compile("^\\{\\s*(Get|Aggregate)\\s*\\{\\s*(\\w+)").matcher(query);
    if (!m.find()) {
      return new Answer(200, graphQlError("the stand-in cannot answer " + query));
    }
    String kind = m.group(1);
    String className = m.group(2);
    WeaviateClass c = classes.get(className);
    if (c == null) {
      return new Answer(
          200,
          graphQlError(
              "Cannot query field \"" + className + "\" on type \"" + kind + "Objects\"."));
    }
    Matcher t = Pattern.compile("tenant:\\s*\"([^\"]*)\"").matcher(query);
    String tenant = t.find() ? t.group(1) : "";
    if (c.multiTenant && tenant.isEmpty()) {
      return new Answer(
          200,
          graphQlError(
              "explorer: list class: search: object search at index "
                  + className.toLowerCase()
                  + ": class "
                  + className
                  + " has multi-tenancy enabled, but request was without tenant"));
    }
    Map<String, ObjectNode> shard = c.shards.get(tenant);
    if (shard == null) {
      return new Answer(200, graphQlError("tenant not found: \"" + tenant + "\""));
    }
    ObjectNode data = JSON.createObjectNode();
    ArrayNode rows = data.putObject("data").putObject(kind).putArray(className);
    if (kind.equals("Aggregate")) {
      if (!query.contains("meta{count}") && !query.replace(" ", "").contains("meta{count}")) {
        return new Answer(200, graphQlError("the stand-in aggregates meta{count} only: " + query));
      }
      rows.addObject().putObject("meta").put("count", shard.size());
      return new Answer(200, data);
    }
    Matcher limitMatch = Pattern.compile("limit:\\s*(\\d+)").matcher(query);
    int limit = limitMatch.find() ? Integer.parseInt(limitMatch.group(1)) : 25;
    List<String> ids;
    if (query.contains("nearVector")) {
      float[] vector = vectorIn(query);
      ids = new ArrayList<>(shard.keySet());
      Map<String, Double> distance = new LinkedHashMap<>();
      for (String id : ids) {
        distance.put(id, cosineDistance(vector, shard.get(id).path("vector")));
      }
      ids.sort((a, b) -> Double.compare(distance.get(a), distance.get(b)));
      ids = ids.subList(0, Math.min(limit, ids.size()));
      for (String id : ids) {
        rows.addObject().putObject("_additional").put("id", id).put("distance", distance.get(id));
      }
      return new Answer(200, data);
    }
    if (query.contains("where:")) {
      Set<String> wanted = new LinkedHashSet<>();
      Matcher u = UUID_TEXT.matcher(query.substring(query.indexOf("where:")));
      while (u.find()) {
        wanted.add(u.group());
      }
      ids = wanted.stream().filter(shard::containsKey).limit(limit).toList();
    } else {
      ids = shard.keySet().stream().limit(limit).toList();
    }
    for (String id : ids) {
      rows.addObject().putObject("_additional").put("id", id);
    }
    return new Answer(200, data);
  }

  private static float[] vectorIn(String query) {
    Matcher v = Pattern.compile("vector:\\s*\\[([^\\]]*)\\]").matcher(query);
    if (!v.find()) {
      throw new IllegalArgumentException("no vector in " + query);
    }
    String[] parts = v.group(1).split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i].trim());
    }
    return out;
  }

  private static double cosineDistance(float[] a, JsonNode b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length && i < b.size(); i++) {
      double bi = b.get(i).asDouble();
      dot += a[i] * bi;
      na += a[i] * a[i];
      nb += bi * bi;
    }
    return na == 0 || nb == 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
  }

  private static ObjectNode graphQlError(String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putArray("errors").addObject().put("message", message);
    return out;
  }

  private static ObjectNode error(String message) {
    ObjectNode out = JSON.createObjectNode();
    out.putArray("error").addObject().put("message", message);
    return out;
  }

  private static Request request(HttpExchange exchange, URI uri, byte[] body) {
    SimpleRequest.Builder b = new SimpleRequest.Builder(exchange.getRequestMethod(), uri.getPath());
    exchange.getRequestHeaders().forEach(b::withHeader);
    query(uri).forEach(b::withQueryParam);
    if (body.length > 0) {
      b.withBody(body);
    }
    return b.build();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        out.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
    if (!head && bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
