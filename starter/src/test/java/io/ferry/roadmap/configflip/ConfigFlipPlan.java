package io.ferry.roadmap.configflip;

import io.ferry.plan.Approvals;
import io.ferry.plan.Checked;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.Notifications;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.roadmap.common.DnsPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The test roadmap's plan: which app node, which settings to switch, which records to move. */
public record ConfigFlipPlan(
    String roadmap,
    String name,
    FailurePolicy failurePolicy,
    SshTarget appNode,
    String configFile,
    String service,
    Map<String, String> settings,
    Backend backend,
    DnsPlan dns,
    Map<String, GatePolicy> gates,
    Duration soak,
    Approvals approvals,
    Notifications notifications)
    implements Plan {

  public static final String ROADMAP = "config-flip";

  public ConfigFlipPlan {
    failurePolicy = failurePolicy == null ? FailurePolicy.ROLLBACK : failurePolicy;
    settings = settings == null ? Map.of() : new LinkedHashMap<>(settings);
    dns = dns == null ? null : dns.withDefaults("A", 300);
    gates = gates == null ? Map.of() : new LinkedHashMap<>(gates);
    approvals = approvals == null ? Approvals.DEFAULTS : approvals;
    soak = soak == null ? Duration.ofDays(1) : soak;
  }

  @Override
  public void check(PlanChecks c) {
    checkCommon(c, ROADMAP, ConfigFlipRoadmap.ROADMAP.gateIds());
    c.nested("appNode", appNode);
    if (c.required("configFile", configFile)) {
      c.absolutePath("configFile", configFile);
    }
    if (c.required("service", service)) {
      c.unitName("service", service);
    }
    if (c.required("settings", settings)) {
      settings.keySet().forEach(k -> c.envKey("settings." + k, k));
    }
    c.nested("backend", backend);
    c.nested("dns", dns);
    if (dns != null) {
      dns.checkTargetGiven(c.at("dns"));
    }
    c.positive("soak", soak);
  }

  /** The new backend the settings point at, started beside the app; its token is a reference. */
  public record Backend(String directory, String image, SecretRef token) implements Checked {
    @Override
    public void check(PlanChecks c) {
      if (c.required("directory", directory)) {
        c.absolutePath("directory", directory);
      }
      c.text("image", image, 200);
      c.secret("token", token, true);
    }
  }
}
