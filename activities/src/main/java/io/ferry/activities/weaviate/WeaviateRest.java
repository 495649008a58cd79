package io.ferry.activities.weaviate;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import io.weaviate.client.Config;
import io.weaviate.client.WeaviateClient;
import io.weaviate.client.base.Result;
import io.weaviate.client.base.WeaviateError;
import io.weaviate.client.base.WeaviateErrorMessage;
import io.weaviate.client.v1.batch.model.BatchDeleteResponse;
import io.weaviate.client.v1.filters.Operator;
import io.weaviate.client.v1.filters.WhereFilter;
import io.weaviate.client.v1.graphql.model.GraphQLError;
import io.weaviate.client.v1.graphql.model.GraphQLResponse;
import io.weaviate.client.v1.graphql.query.argument.NearVectorArgument;
import io.weaviate.client.v1.graphql.query.fields.Field;
import io.weaviate.client.v1.misc.model.MultiTenancyConfig;
import io.weaviate.client.v1.schema.model.Property;
import io.weaviate.client.v1.schema.model.Tenant;
import io.weaviate.client.v1.schema.model.WeaviateClass;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * {@link WeaviatePort} over the Weaviate v5 Java client's REST and GraphQL APIs. Collections get
 * {@code vectorizer: none}: Ferry supplies MiniLM vectors. The API key, when the target names one,
 * is sent as a bearer token. Answers 401/403 are non-retryable {@code AuthenticationFailed}, 422
 * {@code InvalidInput}; connection failures and 5xx are left to Temporal's retries.
 */
public final class WeaviateRest implements WeaviatePort {

  /** Ids per filter in delete and exists queries, under Weaviate's default query maximum. */
  private static final int IDS_PER_QUERY = 500;

  private static final int TIMEOUT_SECONDS = 60;

  private final SecretResolver secrets;
  private final Map<WeaviateTarget, WeaviateClient> clients = new ConcurrentHashMap<>();
  private final Map<WeaviateTarget, WeaviateBatchWriter> writers = new ConcurrentHashMap<>();

  public WeaviateRest(SecretResolver secrets) {
    this.secrets = Failures.require("secrets", secrets);
  }

  @Override
  public Optional<Duration> ready(WeaviateTarget target) {
    WeaviateClient client = client(target);
    long start = System.nanoTime();
    Result<Boolean> result = client.misc().readyChecker().run();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return Boolean.TRUE.equals(result.getResult()) ? Optional.of(elapsed) : Optional.empty();
  }

  @Override
  public Optional<CollectionInfo> collection(WeaviateTarget target, String name) {
    Result<WeaviateClass> result = client(target).schema().classGetter().withClassName(name).run();
    if (status(result) == 404 || (!result.hasErrors() && result.getResult() == null)) {
      return Optional.empty();
    }
    WeaviateClass c = check(target, "get collection " + name, result);
    boolean multiTenant =
        c.getMultiTenancyConfig() != null
            && Boolean.TRUE.equals(c.getMultiTenancyConfig().getEnabled());
    return Optional.of(new CollectionInfo(c.getClassName(), multiTenant, c.getDescription()));
  }

  @Override
  public void createCollection(WeaviateTarget target, CollectionSpec spec, String description) {
    List<Property> properties = new ArrayList<>();
    (spec.properties() == null ? Map.<String, String>of() : spec.properties())
        .forEach(
            (name, type) ->
                properties.add(Property.builder().name(name).dataType(List.of(type)).build()));
    WeaviateClass.WeaviateClassBuilder c =
        WeaviateClass.builder()
            .className(Failures.require("collections.name", spec.name()))
            .description(description)
            .vectorizer("none")
            .properties(properties);
    if (spec.multiTenant()) {
      // Tenants are created on demand by ensureTenant, so a typo in a tenant name cannot
      // silently open a new shard.
      c.multiTenancyConfig(
          MultiTenancyConfig.builder().enabled(true).autoTenantCreation(false).build());
    }
    check(
        target,
        "create collection " + spec.name(),
        client(target).schema().classCreator().withClass(c.build()).run());
  }

  @Override
  public void deleteCollection(WeaviateTarget target, String name) {
    Result<Boolean> result = client(target).schema().classDeleter().withClassName(name).run();
    if (status(result) != 404) {
      check(target, "delete collection " + name, result);
    }
  }

  @Override
  public void ensureTenant(WeaviateTarget target, String collection, String tenant) {
    WeaviateClient client = client(target);
    Result<Boolean> exists =
        client.schema().tenantsExists().withClassName(collection).withTenant(tenant).run();
    if (Boolean.TRUE.equals(exists.getResult())) {
      return;
    }
    if (status(exists) != 404) {
      check(target, "look up tenant " + tenant + " of " + collection, exists);
    }
    check(
        target,
        "create tenant " + tenant + " in " + collection,
        client
            .schema()
            .tenantsCreator()
            .withClassName(collection)
            .withTenants(Tenant.builder().name(tenant).build())
            .run());
  }

  @Override
  public void upsert(
      WeaviateTarget target, String collection, String tenant, Collection<VectorObject> objects) {
    if (objects.isEmpty()) {
      return;
    }
    WeaviateBatchWriter.Answer answer = writer(target).upsert(collection, tenant, objects);
    // The batch endpoint answers 200 and reports failures per object.
    List<String> failures = new ArrayList<>(answer.failures());
    if (answer.answered() != objects.size()) {
      failures.add(
          "Weaviate answered for " + answer.answered() + " of " + objects.size() + " objects");
    }
    if (!failures.isEmpty()) {
      String message =
          failures.size()
              + " of "
              + objects.size()
              + " objects were not stored in "
              + collection
              + (tenant == null ? "" : "/" + tenant)
              + ": "
              + failures.stream().limit(5).collect(Collectors.joining("; "));
      if (failures.stream().allMatch(WeaviateRest::permanent)) {
        throw Failures.precondition(message);
      }
      throw new IllegalStateException(message);
    }
  }

  private static boolean permanent(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("invalid")
        || m.contains("not found")
        || m.contains("no such")
        || m.contains("does not exist");
  }

  @Override
  public long delete(
      WeaviateTarget target, String collection, String tenant, Collection<UUID> ids) {
    long deleted = 0;
    for (List<String> chunk : chunks(ids)) {
      var deleter =
          client(target)
              .batch()
              .objectsBatchDeleter()
              .withClassName(collection)
              .withWhere(idIn(chunk))
              .withOutput("minimal");
      if (tenant != null) {
        deleter.withTenant(tenant);
      }
      Result<BatchDeleteResponse> result = deleter.run();
      if (status(result) == 404 || tenantMissing(result)) {
        return deleted; // no such collection or tenant: nothing of ours there
      }
      BatchDeleteResponse response = check(target, "delete objects from " + collection, result);
      if (response.getResults() != null && response.getResults().getSuccessful() != null) {
        deleted += response.getResults().getSuccessful();
      }
    }
    return deleted;
  }

  @Override
  public long count(WeaviateTarget target, String collection, String tenant) {
    if (tenant == null
        && collection(target, collection).map(CollectionInfo::multiTenant).orElse(false)) {
      long total = 0;
      for (String t : tenants(target, collection)) {
        total += count(target, collection, t);
      }
      return total;
    }
    var query =
        client(target)
            .graphQL()
            .aggregate()
            .withClassName(collection)
            .withFields(Field.builder().name("meta").fields(field("count")).build());
    if (tenant != null) {
      query.withTenant(tenant);
    }
    Object data = graphQl(target, "count " + collection, query.run());
    Object count = path(data, "Aggregate", collection, 0, "meta", "count");
    return count instanceof Number n ? n.longValue() : 0;
  }

  @Override
  public Set<UUID> existing(
      WeaviateTarget target, String collection, String tenant, Collection<UUID> ids) {
    Set<UUID> found = new HashSet<>();
    for (List<String> chunk : chunks(ids)) {
      var query =
          client(target)
              .graphQL()
              .get()
              .withClassName(collection)
              .withWhere(idIn(chunk))
              .withLimit(chunk.size())
              .withFields(Field.builder().name("_additional").fields(field("id")).build());
      if (tenant != null) {
        query.withTenant(tenant);
      }
      Object data = graphQl(target, "look up objects in " + collection, query.run());
      if (path(data, "Get", collection) instanceof List<?> objects) {
        for (Object o : objects) {
          if (path(o, "_additional", "id") instanceof String id) {
            found.add(UUID.fromString(id));
          }
        }
      }
    }
    return found;
  }

  /**
   * Multi-tenant collections are queried in their first tenant (by name): the probe measures how
   * long a query takes, and every tenant shares the same index settings.
   */
  @Override
  public Duration nearVector(WeaviateTarget target, String collection, float[] vector) {
    Float[] boxed = new Float[vector.length];
    for (int d = 0; d < vector.length; d++) {
      boxed[d] = vector[d];
    }
    var query =
        client(target)
            .graphQL()
            .get()
            .withClassName(collection)
            .withNearVector(NearVectorArgument.builder().vector(boxed).build())
            .withLimit(10)
            .withFields(
                Field.builder().name("_additional").fields(field("id"), field("distance")).build());
    if (collection(target, collection).map(CollectionInfo::multiTenant).orElse(false)) {
      List<String> tenants = tenants(target, collection);
      if (tenants.isEmpty()) {
        throw Failures.precondition(
            "collection " + collection + " has no tenant yet; nothing to query");
      }
      query.withTenant(tenants.get(0));
    }
    long start = System.nanoTime();
    graphQl(target, "near-vector query on " + collection, query.run());
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private List<String> tenants(WeaviateTarget target, String collection) {
    List<Tenant> tenants =
        check(
            target,
            "list tenants of " + collection,
            client(target).schema().tenantsGetter().withClassName(collection).run());
    return tenants.stream().map(Tenant::getName).sorted().toList();
  }

  private static Field field(String name) {
    return Field.builder().name(name).build();
  }

  private static WhereFilter idIn(List<String> ids) {
    return WhereFilter.builder()
        .path("id")
        .operator(Operator.ContainsAny)
        .valueText(ids.toArray(String[]::new))
        .build();
  }

  private static List<List<String>> chunks(Collection<UUID> ids) {
    List<String> all = ids.stream().map(UUID::toString).toList();
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += IDS_PER_QUERY) {
      out.add(all.subList(i, Math.min(all.size(), i + IDS_PER_QUERY)));
    }
    return out;
  }

  private static boolean tenantMissing(Result<?> result) {
    return status(result) == 422
        && messages(result.getError()).toLowerCase(Locale.ROOT).contains("tenant not found");
  }

  private static Object path(Object node, Object... steps) {
    for (Object step : steps) {
      if (step instanceof String key && node instanceof Map<?, ?> map) {
        node = map.get(key);
      } else if (step instanceof Integer index
          && node instanceof List<?> list
          && list.size() > index) {
        node = list.get(index);
      } else {
        return null;
      }
    }
    return node;
  }

  private Object graphQl(WeaviateTarget target, String what, Result<GraphQLResponse> result) {
    GraphQLResponse<?> response = check(target, what, result);
    GraphQLError[] errors = response.getErrors();
    if (errors != null && errors.length > 0) {
      String message =
          what
              + " at "
              + target.url()
              + " failed: "
              + java.util.Arrays.stream(errors)
                  .map(GraphQLError::getMessage)
                  .collect(Collectors.joining("; "));
      if (permanent(message) || message.toLowerCase(Locale.ROOT).contains("tenant")) {
        throw Failures.precondition(message);
      }
      throw new IllegalStateException(message);
    }
    return response.getData();
  }

  private static int status(Result<?> result) {
    return result.getError() == null ? 200 : result.getError().getStatusCode();
  }

  private static String messages(WeaviateError error) {
    if (error == null || error.getMessages() == null) {
      return "";
    }
    return error.getMessages().stream()
        .map(WeaviateErrorMessage::getMessage)
        .collect(Collectors.joining("; "));
  }

  private static <T> T check(WeaviateTarget target, String what, Result<T> result) {
    if (!result.hasErrors()) {
      return result.getResult();
    }
    throw failure(target, what, status(result), messages(result.getError()));
  }

  /**
   * What an answer's status means for a retry: 401/403 a non-retryable authentication failure, 404
   * not found, 400/422 invalid input; anything else (5xx, timeouts) is retried.
   */
  static RuntimeException failure(WeaviateTarget target, String what, int status, String says) {
    String message = what + " at " + target.url() + " failed (HTTP " + status + "): " + says;
    if (status == 401 || status == 403) {
      return ApplicationFailure.newNonRetryableFailure(
          message + "; check the API key " + target.apiKey(), FailureTypes.AUTH);
    }
    if (status == 404) {
      return Failures.notFound(message);
    }
    if (status == 422 || status == 400) {
      return Failures.invalidInput(message);
    }
    return new IllegalStateException(message);
  }

  private WeaviateClient client(WeaviateTarget target) {
    return clients.computeIfAbsent(target, this::open);
  }

  private WeaviateBatchWriter writer(WeaviateTarget target) {
    return writers.computeIfAbsent(
        target,
        t ->
            new WeaviateBatchWriter(
                t,
                uri(t),
                t.apiKey() == null ? null : secrets.resolve(t.apiKey()),
                Duration.ofSeconds(TIMEOUT_SECONDS)));
  }

  private WeaviateClient open(WeaviateTarget target) {
    URI uri = uri(target);
    String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    Config config = new Config(uri.getScheme(), host, Map.of(), TIMEOUT_SECONDS);
    if (target.apiKey() == null) {
      return new WeaviateClient(config);
    }
    String key = secrets.resolve(target.apiKey());
    return new WeaviateClient(config, () -> key);
  }

  private static URI uri(WeaviateTarget target) {
    URI uri;
    try {
      uri = URI.create(Failures.require("weaviate.url", target.url()));
    } catch (IllegalArgumentException e) {
      throw Failures.invalidInput("weaviate.url " + target.url() + " is not a URL");
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw Failures.invalidInput(
          "weaviate.url "
              + target.url()
              + " must be http(s)://host:port, such as http://10.0.0.5:8080");
    }
    return uri;
  }
}
