package io.ferry.activities.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The stand-in refuses what Weaviate's reference does not allow, so adapter tests can fail. */
class WeaviateStandInTest {

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBodyTheReferenceDoesNotAllow_isRefusedAndRecorded() throws Exception {
    try (WeaviateStandIn weaviate = new WeaviateStandIn()) {
      HttpResponse<String> answer =
          send(
              HttpRequest.newBuilder(URI.create(weaviate.url() + "/v1/schema"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString("{\"class\": 5, \"properties\": \"x\"}"))
                  .build());

      assertThat(answer.statusCode()).isEqualTo(422);
      assertThat(weaviate.violations()).singleElement().asString().contains("/v1/schema");
      assertThat(weaviate.classDefinition("5")).isNull();
    }
  }

  @Test
  void aPathTheReferenceDoesNotHave_isRefusedAndRecorded() throws Exception {
    try (WeaviateStandIn weaviate = new WeaviateStandIn()) {
      HttpResponse<String> answer =
          send(HttpRequest.newBuilder(URI.create(weaviate.url() + "/v1/no-such-thing")).build());

      assertThat(answer.statusCode()).isEqualTo(422);
      assertThat(weaviate.violations()).hasSize(1);
    }
  }
}
