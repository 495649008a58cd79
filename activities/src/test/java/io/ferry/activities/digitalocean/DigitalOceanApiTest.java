package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.digitalocean.NetworkClient.Vpc;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The typed client's cross-cutting behaviour: errors, rate limits, pagination, auth. */
class DigitalOceanApiTest {

  private final DoFixture f = new DoFixture();
  private final NetworkClient network = new NetworkClient(f.api);

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  @Test
  void a429_isWaitedOutUntilRateLimitReset_thenTheRequestIsRepeated() {
    f.fake.seedVpc("5a4981aa-9653-4bd1-bef5-d6bff52042e4", "orchestra", "fra1");
    long reset = Instant.now().getEpochSecond() + 1;
    f.fake.failNext("GET", "/v2/vpcs", 429, Map.of("RateLimit-Reset", Long.toString(reset)));

    List<Vpc> vpcs = network.vpcs();

    assertThat(vpcs).extracting(Vpc::name).containsExactly("orchestra");
    assertThat(Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(reset);
    assertThat(f.fake.requests()).filteredOn(r -> r.startsWith("GET /v2/vpcs")).hasSize(2);
  }

  @Test
  void a429_whoseResetIsBeyondTheBound_failsRetryablyAtOnce() {
    long reset = Instant.now().getEpochSecond() + 3600;
    f.fake.failNext("GET", "/v2/vpcs", 429, Map.of("RateLimit-Reset", Long.toString(reset)));

    ApplicationFailure failure = SimFixture.failureOf(network::vpcs);

    assertThat(failure.getType()).isEqualTo(DoFailures.RATE_LIMITED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("GET /v2/vpcs", "429", "too_many_requests");
  }

  @Test
  void theLibrary_a429WhoseResetIsBeyondTheBound_failsRetryably() {
    long reset = Instant.now().getEpochSecond() + 3600;
    f.fake.failNext("GET", "/v2/droplets", 429, Map.of("RateLimit-Reset", Long.toString(reset)));

    ApplicationFailure failure = SimFixture.failureOf(() -> f.compute.findDroplet("ferry:x"));

    assertThat(failure.getType()).isEqualTo(DoFailures.RATE_LIMITED);
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void a5xx_isARetryableFailure_fromTheClientAndFromTheLibrary() {
    f.fake.failNext("GET", "/v2/projects", 503, Map.of());
    f.fake.failNext("GET", "/v2/droplets/\\d+", 500, Map.of());

    ApplicationFailure fromClient = SimFixture.failureOf(network::projects);
    ApplicationFailure fromLibrary = SimFixture.failureOf(() -> f.compute.droplet(77));

    assertThat(fromClient.getType()).isEqualTo(DoFailures.UNAVAILABLE);
    assertThat(fromClient.isNonRetryable()).isFalse();
    assertThat(fromClient.getOriginalMessage()).contains("503", "server_error");
    assertThat(fromLibrary.getType()).isEqualTo(DoFailures.UNAVAILABLE);
    assertThat(fromLibrary.isNonRetryable()).isFalse();
  }

  @Test
  void a404_isNotFound_nonRetryable_withDosIdAndMessage() {
    ApplicationFailure failure =
        SimFixture.failureOf(() -> f.api.get("/v2/apps/4f6c71e2-1e90-4762-9fee-6cc4a0a9f2cf"));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo(
            "DigitalOcean GET /v2/apps/4f6c71e2-1e90-4762-9fee-6cc4a0a9f2cf answered 404 not_found:"
                + " The resource you were accessing could not be found.");
  }

  @Test
  void aWrongToken_isAnAuthenticationFailure_thatDoesNotNameTheToken() {
    DigitalOceanApi wrong =
        new DigitalOceanApi(
            f.fake.baseUrl(),
            () -> "dop_v1_wrong",
            HttpClient.newHttpClient(),
            Duration.ofSeconds(1));

    ApplicationFailure failure = SimFixture.failureOf(() -> new NetworkClient(wrong).vpcs());

    assertThat(failure.getType()).isEqualTo(FailureTypes.AUTH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("401").doesNotContain("dop_v1_wrong");
  }

  @Test
  void list_followsLinksPagesNext_andAsksTheConfiguredBaseUrl() {
    for (int i = 0; i < 5; i++) {
      f.fake.seedVpc("5a4981aa-9653-4bd1-bef5-d6bff5204" + (200 + i), "vpc-" + i, "fra1");
    }

    var vpcs = f.api.list("/v2/vpcs", Map.of("per_page", "2"), "vpcs");

    assertThat(vpcs).hasSize(5);
    assertThat(f.fake.requests())
        .containsExactly(
            "GET /v2/vpcs?per_page=2",
            "GET /v2/vpcs?per_page=2&page=2",
            "GET /v2/vpcs?per_page=2&page=3");
  }

  @Test
  void assignToProject_andFindVpcByName() {
    f.fake.seedVpc("5a4981aa-9653-4bd1-bef5-d6bff52042e4", "orchestra", "fra1");
    f.fake.seedProject("4e1bfbc3-dc3e-41f2-a18f-1b4d7ba71679", "Orchestra");

    String vpc = network.findVpc("orchestra").orElseThrow().id();
    String project = network.findProject("Orchestra").orElseThrow().id();
    network.assignToProject(project, List.of("do:droplet:42", "do:domain:orchestra.example.com"));

    assertThat(vpc).isEqualTo("5a4981aa-9653-4bd1-bef5-d6bff52042e4");
    assertThat(f.fake.projectResources())
        .containsExactly("do:droplet:42", "do:domain:orchestra.example.com");
  }

  @Test
  void theFake_refusesARequestOutsideDosApiReference_withTheValidatorsMessage() {
    var body = f.api.object().put("name", "vector-fra1-01"); // no size, no image

    ApplicationFailure failure = SimFixture.failureOf(() -> f.api.post("/v2/droplets", body));

    assertThat(failure.getOriginalMessage()).contains("400", "validation.request.body.schema");
    assertThat(f.fake.violations()).singleElement().asString().contains("POST /v2/droplets");
    f.fake.violations().clear();
  }
}
