package io.ferry.roadmap.appplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.plan.PlanInvalidException;
import io.ferry.plan.PlanLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AppPlatformPlanTest {

  static String example() {
    try (InputStream in =
        AppPlatformPlanTest.class.getResourceAsStream("/plans/app-platform.example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> problems(UnaryOperator<String> edit) {
    PlanInvalidException e =
        catchThrowableOfType(
            PlanInvalidException.class,
            () -> new PlanLoader().load("plan", edit.apply(example()), AppPlatformPlan.class));
    assertThat(e).as("the plan should be invalid").isNotNull();
    return e.problems().stream().map(p -> p.field() + ": " + p.message()).toList();
  }

  @Test
  void examplePlan_isValid_withItsDefaults() {
    AppPlatformPlan plan = new PlanLoader().load("example", example(), AppPlatformPlan.class);

    assertThat(plan.workflowId()).isEqualTo("app-platform-lightclick-prod");
    assertThat(plan.images())
        .extracting(AppPlatformPlan.Image::component)
        .containsExactly("backend", "frontend", "worker");
    assertThat(plan.valkey().maxP95()).hasMillis(5);
    assertThat(plan.soak()).hasDays(7);
    assertThat(plan.migrations().job()).isEqualTo("migrate");
  }

  @Test
  void plainTextSecrets_plainTextConnections_andLatest_areRefusedWithTheirFields() {
    List<String> problems =
        problems(
            t ->
                t.replace("token: env:DOCR_TOKEN", "token: dop_v1_abcdef")
                    .replace("sslMode: require", "sslMode: prefer")
                    .replace("rediss://valkey", "redis://valkey")
                    .replace("version: v2.4.0", "version: latest")
                    .replace("JWT_SECRET: env:PROD_JWT_SECRET", "JWT_SECRET: hunter2"));

    assertThat(problems)
        .anyMatch(p -> p.startsWith("registry.token: must be a secret reference"))
        .anyMatch(p -> p.startsWith("postgres.connection.sslMode: 'prefer' allows plain text"))
        .anyMatch(p -> p.startsWith("valkey.store.url: must use TLS"))
        .anyMatch(p -> p.startsWith("version: must name one release"))
        .anyMatch(p -> p.startsWith("production.env.JWT_SECRET: must be a secret reference"));
    assertThat(String.join("\n", problems)).doesNotContain("dop_v1_abcdef", "hunter2");
  }

  @Test
  void structuralMistakes_nameTheirFields() {
    List<String> problems =
        problems(
            t ->
                t.replace("app: lightclick-staging", "app: lightclick")
                    .replace("  - component: worker", "  - component: backend")
                    .replace("interval: 1m", "interval: 2h")
                    .replace("    - name: app\n", "    - name: \"@\"\n")
                    .replace(
                        "appSpec: /opt/ferry/lightclick/.do/app.yaml", "appSpec: relative/app.yaml")
                    .replace("  approve-production:  ", "  approve-prod:  "));

    assertThat(problems)
        .anyMatch(p -> p.startsWith("staging.app: must differ from production.app"))
        .anyMatch(p -> p.startsWith("images[2].component: 'backend' appears twice"))
        .anyMatch(p -> p.startsWith("monitor.interval: is longer than the window"))
        .anyMatch(p -> p.startsWith("dns.records[1].name: '@' is not"))
        .anyMatch(p -> p.startsWith("appSpec: 'relative/app.yaml' is not an absolute path"))
        .anyMatch(p -> p.startsWith("gates.approve-prod: is not a gate of app-platform"));
  }

  @Test
  void migrations_takeAJobOrACommand_notBoth() {
    List<String> problems =
        problems(
            t ->
                t.replace(
                    "  # command: [alembic, upgrade, head]",
                    "  command: [alembic, upgrade, head]"));

    assertThat(problems).anyMatch(p -> p.startsWith("migrations: name either job"));
  }
}
