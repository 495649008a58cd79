package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.StepScopeInterceptor;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.SecretRef;
import io.temporal.activity.ActivityInterface;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealFleetTest {

  @TempDir Path backups;

  private RealFleet fleet() {
    return RealFleet.connect(
        new RealFleet.Settings(SecretRef.of("env:DO_TOKEN"), null, backups, null),
        SecretResolver.withEnvironment(Map.of("DO_TOKEN", "dop_v1_test")::get));
  }

  /** Every activity a roadmap can call on the simulated fleet has a real implementation too. */
  @Test
  void implementsEveryActivityInterfaceTheSimulatedFleetDoes() {
    RealFleet real = fleet();
    try {
      assertThat(activityInterfaces(real.activityImplementations()))
          .isEqualTo(activityInterfaces(new SimulatedFleet().activityImplementations()))
          .hasSizeGreaterThanOrEqualTo(7);
      assertThat(real.name()).isEqualTo("real");
      assertThat(real.interceptors()).hasAtLeastOneElementOfType(StepScopeInterceptor.class);
    } finally {
      real.close();
    }
  }

  @Test
  void everyPortAnActivityHoldsIsARealAdapter() throws IllegalAccessException {
    RealFleet real = fleet();
    try {
      int ports = 0;
      for (Object activity : real.activityImplementations()) {
        for (Field field : activity.getClass().getDeclaredFields()) {
          if (!field.getType().getPackageName().equals("io.ferry.activities.port")) {
            continue;
          }
          field.setAccessible(true);
          Object adapter = field.get(activity);
          assertThat(adapter)
              .as(activity.getClass().getSimpleName() + "." + field.getName())
              .isNotNull();
          assertThat(adapter.getClass().getPackageName())
              .as(activity.getClass().getSimpleName() + "." + field.getName())
              .doesNotEndWith(".sim");
          ports++;
        }
      }
      assertThat(ports).isGreaterThanOrEqualTo(15);
    } finally {
      real.close();
    }
  }

  private static Set<String> activityInterfaces(List<Object> implementations) {
    return implementations.stream()
        .flatMap(a -> Arrays.stream(a.getClass().getInterfaces()))
        .filter(i -> i.isAnnotationPresent(ActivityInterface.class))
        .map(Class::getName)
        .collect(Collectors.toSet());
  }
}
