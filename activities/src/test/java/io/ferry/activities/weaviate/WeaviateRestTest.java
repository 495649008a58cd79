package io.ferry.activities.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.data.MemoryIds;
import io.ferry.activities.port.WeaviatePort.CollectionInfo;
import io.ferry.activities.port.WeaviatePort.VectorObject;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.plan.SecretRef;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WeaviateRest} against {@link WeaviateStandIn}, which checks every request against
 * Weaviate's OpenAPI reference.
 */
class WeaviateRestTest {

  private static final String KEY = "weaviate-test-key";
  private final WeaviateStandIn weaviate = new WeaviateStandIn(KEY, true);
  private final WeaviateRest adapter =
      new WeaviateRest(
          SecretResolver.withEnvironment(Map.of("WEAVIATE_KEY", KEY, "WRONG_KEY", "nope")::get));
  private final WeaviateTarget target =
      new WeaviateTarget(weaviate.url(), SecretRef.of("env:WEAVIATE_KEY"));
  private final CollectionSpec session =
      new CollectionSpec(
          "Session",
          true,
          Map.of("text", "text", "threadId", "text", "speaker", "text", "domain", "text"));
  private final CollectionSpec personal =
      new CollectionSpec("Personal", false, Map.of("owner", "text", "tags", "text[]"));

  @AfterEach
  void noRequestOutsideTheReference() {
    weaviate.close();
    assertThat(weaviate.violations()).isEmpty();
  }

  private static VectorObject object(String key, float first) {
    float[] v = new float[384];
    v[0] = first;
    v[1] = 1;
    return new VectorObject(MemoryIds.forKey(key), Map.of("text", key, "threadId", "t1"), v);
  }

  @Test
  void ready_answersWithHowLongItTook() {
    assertThat(adapter.ready(target)).get().isInstanceOf(Duration.class);
  }

  @Test
  void ready_whenNothingListens_isEmpty() {
    WeaviateTarget nowhere = new WeaviateTarget("http://127.0.0.1:1", null);

    assertThat(adapter.ready(nowhere)).isEmpty();
  }

  @Test
  void createCollection_hasTheSpecsPropertiesNoVectorizerAndTheMarker() {
    adapter.createCollection(target, session, "ferry:run-1/create-collections");
    adapter.createCollection(target, personal, "ferry:run-1/create-collections");

    assertThat(adapter.collection(target, "Session"))
        .contains(new CollectionInfo("Session", true, "ferry:run-1/create-collections"));
    assertThat(adapter.collection(target, "Personal").orElseThrow().multiTenant()).isFalse();
    var definition = weaviate.classDefinition("Session");
    assertThat(definition.path("vectorizer").asText()).isEqualTo("none");
    assertThat(definition.path("multiTenancyConfig").path("enabled").asBoolean()).isTrue();
    List<String> names = new ArrayList<>();
    definition.path("properties").forEach(p -> names.add(p.path("name").asText()));
    assertThat(names).containsExactlyInAnyOrder("text", "threadId", "speaker", "domain");
    assertThat(weaviate.classDefinition("Personal").path("properties").toString())
        .contains("text[]");
  }

  @Test
  void collection_thatDoesNotExist_isEmpty_andDeletingItIsANoOp() {
    assertThat(adapter.collection(target, "Nope")).isEmpty();

    adapter.deleteCollection(target, "Nope");
  }

  @Test
  void deleteCollection_removesIt() {
    adapter.createCollection(target, personal, "m");

    adapter.deleteCollection(target, "Personal");

    assertThat(adapter.collection(target, "Personal")).isEmpty();
  }

  @Test
  void createCollection_thatExists_isInvalidInput() {
    adapter.createCollection(target, personal, "m");

    Throwable thrown = catchThrowable(() -> adapter.createCollection(target, personal, "m"));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) thrown).getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(((ApplicationFailure) thrown).getOriginalMessage()).contains("already exists");
  }

  @Test
  void ensureTenant_twice_createsItOnce() {
    adapter.createCollection(target, session, "m");

    adapter.ensureTenant(target, "Session", "20250602");
    adapter.ensureTenant(target, "Session", "20250602");

    assertThat(weaviate.tenantCreations()).isEqualTo(1);
  }

  @Test
  void upsert_byDeterministicIds_replacesInsteadOfAdding() {
    adapter.createCollection(target, session, "m");
    adapter.ensureTenant(target, "Session", "20250602");
    List<VectorObject> objects = List.of(object("memory:a", 1), object("memory:b", 0));

    adapter.upsert(target, "Session", "20250602", objects);
    adapter.upsert(target, "Session", "20250602", objects);

    assertThat(adapter.count(target, "Session", "20250602")).isEqualTo(2);
    assertThat(adapter.count(target, "Session", null)).isEqualTo(2);
    assertThat(weaviate.objects("Session", "20250602"))
        .containsOnlyKeys(
            MemoryIds.forKey("memory:a").toString(), MemoryIds.forKey("memory:b").toString());
    assertThat(
            weaviate
                .objects("Session", "20250602")
                .get(MemoryIds.forKey("memory:a").toString())
                .path("vector")
                .size())
        .isEqualTo(384);
  }

  @Test
  void upsert_sendsEveryVectorComponentAsTheSameFloat32_andThePropertiesAsTheyAre() {
    adapter.createCollection(target, session, "m");
    adapter.ensureTenant(target, "Session", "20250602");
    java.util.SplittableRandom random = new java.util.SplittableRandom(15);
    float[] vector = new float[384];
    for (int d = 0; d < vector.length; d++) {
      vector[d] = (float) ((random.nextDouble() - 0.5) * Math.pow(10, -random.nextInt(8)));
    }
    vector[0] = -0f;
    vector[1] = Float.MIN_VALUE;
    String text = "Zoë said \"ship it\" \\ at 09:00\n\t— 完成 🚀";
    UUID id = MemoryIds.forKey("memory:exact");

    adapter.upsert(
        target,
        "Session",
        "20250602",
        List.of(new VectorObject(id, Map.of("text", text, "threadId", "t1"), vector)));

    var stored = weaviate.objects("Session", "20250602").get(id.toString());
    assertThat(stored.path("properties").path("text").asText()).isEqualTo(text);
    var sent = stored.path("vector");
    assertThat(sent.size()).isEqualTo(384);
    for (int d = 0; d < vector.length; d++) {
      assertThat(Float.floatToRawIntBits(Float.parseFloat(sent.get(d).asText())))
          .as("component %d", d)
          .isEqualTo(Float.floatToRawIntBits(vector[d]));
    }
  }

  @Test
  void upsert_withAWrongApiKey_isANonRetryableAuthenticationFailure() {
    adapter.createCollection(target, session, "m");
    adapter.ensureTenant(target, "Session", "20250602");
    WeaviateTarget wrong = new WeaviateTarget(weaviate.url(), SecretRef.of("env:WRONG_KEY"));

    Throwable thrown =
        catchThrowable(
            () -> adapter.upsert(wrong, "Session", "20250602", List.of(object("memory:a", 1))));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.getType()).isEqualTo(FailureTypes.AUTH);
    assertThat(failure.getOriginalMessage()).contains("env:WRONG_KEY").doesNotContain("nope");
    assertThat(weaviate.objects("Session", "20250602")).isEmpty();
  }

  @Test
  void upsert_whoseObjectsFail_throwsNamingTheErrors() {
    adapter.createCollection(target, session, "m");

    Throwable thrown =
        catchThrowable(
            () -> adapter.upsert(target, "Session", "19990101", List.of(object("memory:a", 1))));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("1 of 1 objects", "tenant not found");
  }

  @Test
  void existing_andDelete_workOnTheIdsThatAreThere() {
    adapter.createCollection(target, session, "m");
    adapter.ensureTenant(target, "Session", "20250602");
    adapter.upsert(
        target, "Session", "20250602", List.of(object("memory:a", 1), object("memory:b", 0)));
    UUID a = MemoryIds.forKey("memory:a");
    UUID c = MemoryIds.forKey("memory:c");

    assertThat(adapter.existing(target, "Session", "20250602", List.of(a, c))).containsExactly(a);
    assertThat(adapter.delete(target, "Session", "20250602", List.of(a, c))).isEqualTo(1);
    assertThat(adapter.count(target, "Session", "20250602")).isEqualTo(1);
    assertThat(adapter.delete(target, "Session", "19990101", List.of(a))).isZero();
  }

  @Test
  void existing_manyIds_areAskedInChunks() {
    adapter.createCollection(target, personal, "m");
    adapter.upsert(
        target, "Personal", null, List.of(object("memory:1", 1), object("memory:999", 0)));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      ids.add(MemoryIds.forKey("memory:" + i));
    }

    var found = adapter.existing(target, "Personal", null, ids);

    assertThat(found)
        .containsExactlyInAnyOrder(MemoryIds.forKey("memory:1"), MemoryIds.forKey("memory:999"));
    assertThat(weaviate.requests().stream().filter("POST /v1/graphql"::equals)).hasSize(3);
  }

  @Test
  void nearVector_onAMultiTenantCollection_queriesATenant_andTimesIt() {
    adapter.createCollection(target, session, "m");
    adapter.ensureTenant(target, "Session", "20250602");
    adapter.upsert(target, "Session", "20250602", List.of(object("memory:a", 1)));

    Duration took = adapter.nearVector(target, "Session", object("q", 1).vector());

    assertThat(took).isPositive();
    assertThat(weaviate.requests()).contains("POST /v1/graphql");
  }

  @Test
  void wrongApiKey_isANonRetryableAuthenticationFailure() {
    WeaviateTarget wrong = new WeaviateTarget(weaviate.url(), SecretRef.of("env:WRONG_KEY"));

    Throwable thrown = catchThrowable(() -> adapter.collection(wrong, "Session"));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.getType()).isEqualTo(FailureTypes.AUTH);
    assertThat(failure.getOriginalMessage()).contains("env:WRONG_KEY").doesNotContain("nope");
  }
}
