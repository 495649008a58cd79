package io.ferry.activities.sim.seeds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.SimSeed;
import io.ferry.activities.sim.SimWorld;
import io.ferry.roadmap.appplatform.AppPlatformPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world an app-platform plan expects: the droplet, the app spec on the worker, the registry
 * with the images live today, the production app running them, the managed databases and the DNS
 * records pointing at the droplet.
 */
public final class AppPlatformSeed implements SimSeed<AppPlatformPlan> {

  static final String LIVE_TAG = "v2.3.1";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final List<SimKnob<AppPlatformPlan>> KNOBS =
      List.of(
          SimKnob.httpStatus(
              "staging-smoke-status",
              "the status the staging app answers its smoke tests with; another than expected"
                  + " fails smoke-staging and the migration rolls back",
              (world, plan, status) -> world.setHttpStatus(stagingUrlPrefix(plan), status)),
          SimKnob.httpStatus(
              "monitor-status",
              "the status the first DNS record's host answers the monitor probes with after the"
                  + " cutover; more failed rounds than monitor.failureBudget roll everything back",
              (world, plan, status) -> world.setHttpStatus(monitoredUrl(plan), status)),
          SimKnob.duration(
              "monitor-latency",
              "how long the first DNS record's host takes to answer the monitor probes; a probe"
                  + " slower than its maxLatency fails its round",
              (world, plan, latency) -> world.setHttpLatency(monitoredUrl(plan), latency)));

  @Override
  public String roadmap() {
    return AppPlatformPlan.ROADMAP;
  }

  @Override
  public Class<AppPlatformPlan> planType() {
    return AppPlatformPlan.class;
  }

  @Override
  public List<SimKnob<AppPlatformPlan>> knobs() {
    return KNOBS;
  }

  @Override
  public void seed(SimWorld world, AppPlatformPlan p) {
    String liveTag = LIVE_TAG.equals(p.version()) ? "v2.3.0" : LIVE_TAG;
    if (p.droplet() != null && p.droplet().id() != null && p.droplet().ssh() != null) {
      world.seedDroplet(p.droplet().id(), p.name(), p.droplet().ssh().host());
    }
    if (p.appSpec() != null) {
      world.seedWorkerFile(p.appSpec(), specYaml(p));
    }
    if (p.registry() != null && p.registry().name() != null) {
      Map<String, String> live = new LinkedHashMap<>();
      p.images().forEach(i -> live.put(i.repository(), liveTag));
      world.seedRegistry(p.registry().name(), live);
    }
    if (p.production() != null && p.production().app() != null) {
      ObjectNode spec = spec(p);
      spec.put("name", p.production().app());
      for (AppPlatformPlan.Image image : p.images()) {
        for (String list : List.of("services", "workers")) {
          spec.path(list)
              .forEach(
                  c -> {
                    if (image.component().equals(c.path("name").asText())) {
                      ObjectNode o = (ObjectNode) c;
                      o.remove("dockerfile_path");
                      o.remove("github");
                      ObjectNode source = o.putObject("image");
                      source.put("registry_type", "DOCR");
                      source.put("repository", image.repository());
                      source.put("tag", liveTag);
                    }
                  });
        }
      }
      world.seedApp(spec);
    }
    if (p.postgres() != null && p.postgres().connection() != null) {
      world.seedPostgres(p.postgres().connection());
      String database = p.postgres().connection().database();
      if (database != null) {
        world.seedDatabase(p.postgres().connection(), database, "the app's database");
      }
      if (p.postgres().cluster() != null) {
        world.seedCluster(p.postgres().cluster(), p.name() + "-db", "pg");
      }
    }
    if (p.valkey() != null && p.valkey().store() != null && p.valkey().store().url() != null) {
      world.seedMemoryStore(p.valkey().store().url(), List.of(), 0);
    }
    if (p.dns() != null && p.dns().domain() != null) {
      List<String[]> names = new ArrayList<>();
      p.dns().records().forEach(r -> names.add(new String[] {r.name(), "CNAME"}));
      world.seedDns(p.dns().domain(), names);
    }
  }

  /**
   * Where the staging app answers: https://NAME-XXXX.ondigitalocean.app, as App Platform names it.
   */
  private static String stagingUrlPrefix(AppPlatformPlan plan) {
    if (plan.staging() == null || plan.staging().app() == null) {
      throw new IllegalArgumentException("the plan names no staging.app");
    }
    return "https://" + plan.staging().app() + "-";
  }

  /** The host the monitor probes after the cutover: the first DNS record's. */
  private static String monitoredUrl(AppPlatformPlan plan) {
    if (plan.dns() == null || plan.dns().records().isEmpty()) {
      throw new IllegalArgumentException("the plan names no dns.records to monitor");
    }
    return "https://" + plan.dns().records().get(0).name() + "." + plan.dns().domain() + "/";
  }

  /** A spec as the team keeps it in .do/app.yaml: built from source, before Ferry adds images. */
  static ObjectNode spec(AppPlatformPlan p) {
    ObjectNode spec = YAML.createObjectNode();
    spec.put("name", p.name());
    spec.put("region", "nyc");
    ArrayNode services = spec.putArray("services");
    ArrayNode workers = spec.putArray("workers");
    for (AppPlatformPlan.Image image : p.images()) {
      boolean worker = image.component().contains("worker");
      ObjectNode c = (worker ? workers : services).addObject();
      c.put("name", image.component());
      ObjectNode github = c.putObject("github");
      github.put("repo", "example/" + p.name());
      github.put("branch", "main");
      c.put("dockerfile_path", image.dockerfile());
      c.put("instance_size_slug", "basic-xs");
      c.put("instance_count", 1);
      if (!worker) {
        c.put("http_port", image.component().contains("front") ? 80 : 8000);
        ObjectNode route = c.putArray("routes").addObject();
        route.put("path", image.component().contains("front") ? "/" : "/api");
      }
    }
    if (p.migrations() != null && p.migrations().job() != null) {
      ObjectNode job = spec.putArray("jobs").addObject();
      job.put("name", p.migrations().job());
      job.put("kind", "PRE_DEPLOY");
      ObjectNode github = job.putObject("github");
      github.put("repo", "example/" + p.name());
      github.put("branch", "main");
      job.put("run_command", "alembic upgrade head");
    }
    ArrayNode envs = spec.putArray("envs");
    ObjectNode env = envs.addObject();
    env.put("key", "APP_ENV");
    env.put("value", "production");
    return spec;
  }

  static String specYaml(AppPlatformPlan p) {
    try {
      return "# .do/app.yaml (simulated)\n"
          + YAML.writeValueAsString(spec(p)).replaceFirst("^---\n", "");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
