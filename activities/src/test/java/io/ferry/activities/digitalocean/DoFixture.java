package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.cloud.CloudActivitiesImpl;
import io.ferry.contract.CloudActivities;
import io.ferry.plan.SecretRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;

/**
 * The fake DigitalOcean with the real adapters pointed at it: the typed client through its base
 * URL, the library through a route planner that sends {@code api.digitalocean.com} to the fake
 * (tests only). The token comes from a {@link SecretRef}, as on a worker.
 */
final class DoFixture implements AutoCloseable {

  /** An app spec as its team keeps it: built from GitHub, with a PRE_DEPLOY migrate job. */
  static final String APP_SPEC =
      """
      name: lightclick
      region: fra
      services:
        - name: backend
          http_port: 8000
          instance_count: 1
          instance_size_slug: apps-s-1vcpu-1gb
          github: {repo: lightclick/backend, branch: main}
          routes: [{path: /api}]
        - name: frontend
          http_port: 3000
          instance_count: 1
          instance_size_slug: apps-s-1vcpu-0.5gb
          github: {repo: lightclick/frontend, branch: main}
      workers:
        - name: worker
          instance_count: 1
          instance_size_slug: apps-s-1vcpu-0.5gb
          github: {repo: lightclick/backend, branch: main}
      jobs:
        - name: migrate
          kind: PRE_DEPLOY
          run_command: alembic upgrade head
          github: {repo: lightclick/backend, branch: main}
      envs:
        - {key: LOG_LEVEL, value: info, scope: RUN_TIME}
          """;

  static final SecretRef TOKEN_REF = SecretRef.of("env:DIGITALOCEAN_TOKEN");
  static final Polling FAST = new Polling(Duration.ofMillis(5), Duration.ofSeconds(5));

  final FakeDigitalOcean fake;
  final SecretResolver secrets =
      SecretResolver.withEnvironment(Map.of("DIGITALOCEAN_TOKEN", FakeDigitalOcean.TOKEN)::get);
  final DigitalOceanApi api;
  final DoLibrary library;
  final DigitalOceanCompute compute;
  final DigitalOceanDns dns;
  private TestActivityEnvironment env;

  DoFixture() {
    try {
      fake = new FakeDigitalOcean();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    api =
        new DigitalOceanApi(
            fake.baseUrl(),
            () -> secrets.resolve(TOKEN_REF),
            HttpClient.newHttpClient(),
            Duration.ofSeconds(3));
    library = new DoLibrary(secrets.resolve(TOKEN_REF), routedToFake(), Duration.ofSeconds(3));
    compute = new DigitalOceanCompute(library, api, FAST, Heartbeat.activity());
    dns = new DigitalOceanDns(library);
  }

  /** An HTTP client for the library that sends every request to the fake, over plain HTTP. */
  HttpClientBuilder routedToFake() {
    HttpHost local = new HttpHost("127.0.0.1", fake.port(), "http");
    return HttpClients.custom().setRoutePlanner((target, request, context) -> new HttpRoute(local));
  }

  /** {@link CloudActivities} over the real adapters, in a test activity environment. */
  CloudActivities cloud() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new CloudActivitiesImpl(compute, dns, secrets, FAST));
    return env.newActivityStub(
        CloudActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  /** Fails the test if any request or answer did not match DO's API reference. */
  void assertNoViolations() {
    assertThat(fake.violations()).as("requests and answers outside DO's API reference").isEmpty();
  }

  @Override
  public void close() {
    if (env != null) {
      env.close();
    }
    fake.close();
  }
}
