package io.ferry.activities;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.PortJournal;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.contract.NotifyActivities;
import io.temporal.activity.ActivityInterface;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivityAssemblyTest {

  private static final String PORT_PACKAGE = "io.ferry.activities.port";

  @TempDir Path dir;

  /**
   * Every activity interface a roadmap can call, found by scanning the contract package; but
   * notifications, which the worker registers with its own endpoints rather than from a fleet.
   */
  private static Set<String> contractInterfaces() {
    return new ClassFileImporter()
        .importPackages("io.ferry.contract").stream()
            .filter(JavaClass::isInterface)
            .filter(c -> c.isAnnotatedWith(ActivityInterface.class))
            .map(JavaClass::getName)
            .filter(name -> !name.equals(NotifyActivities.class.getName()))
            .collect(Collectors.toSet());
  }

  private static Set<String> implemented(List<Object> activities) {
    return activities.stream()
        .flatMap(a -> Arrays.stream(a.getClass().getInterfaces()))
        .filter(i -> i.isAnnotationPresent(ActivityInterface.class))
        .map(Class::getName)
        .collect(Collectors.toSet());
  }

  /** Ports whose every component is a distinct stand-in: a proxy that refuses every call. */
  private static Ports standInPorts() throws ReflectiveOperationException {
    RecordComponent[] components = Ports.class.getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      Class<?> type = components[i].getType();
      if (type == SecretResolver.class) {
        values[i] = SecretResolver.standIns();
      } else if (type == Polling.class) {
        values[i] = Polling.SIMULATED;
      } else if (type == Clock.class) {
        values[i] = Clock.systemUTC();
      } else {
        values[i] = standIn(type, components[i].getName());
      }
    }
    return (Ports)
        Ports.class
            .getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
            .newInstance(values);
  }

  /** A proxy refusing every call; for a group of ports (a record), the group of their stand-ins. */
  private static Object standIn(Class<?> type, String name) throws ReflectiveOperationException {
    if (type.isRecord()) {
      RecordComponent[] parts = type.getRecordComponents();
      Object[] values = new Object[parts.length];
      for (int i = 0; i < parts.length; i++) {
        values[i] = standIn(parts[i].getType(), name + "." + parts[i].getName());
      }
      return type.getDeclaredConstructor(
              Arrays.stream(parts).map(RecordComponent::getType).toArray(Class<?>[]::new))
          .newInstance(values);
    }
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {type},
        (proxy, method, args) ->
            switch (method.getName()) {
              case "toString" -> "stand-in " + name;
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> throw new AssertionError("called " + name + "." + method);
            });
  }

  /** The ports in {@code value}: itself, or each member of a group of ports (a record). */
  private static List<Object> ports(Object value) throws ReflectiveOperationException {
    if (value == null || !value.getClass().isRecord()) {
      return java.util.Collections.singletonList(value);
    }
    List<Object> members = new ArrayList<>();
    for (RecordComponent part : value.getClass().getRecordComponents()) {
      members.addAll(ports(part.getAccessor().invoke(value)));
    }
    return members;
  }

  /** The ports the activities hold, in their fields or their helpers' (App Platform's specs). */
  private static List<Object> portsHeld(List<Object> activities)
      throws ReflectiveOperationException {
    List<Object> held = new ArrayList<>();
    for (Object activity : activities) {
      collectPorts(activity, held);
    }
    return held;
  }

  private static void collectPorts(Object holder, List<Object> held)
      throws ReflectiveOperationException {
    for (Field field : holder.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      Object value = field.get(holder);
      if (field.getType().getPackageName().equals(PORT_PACKAGE)) {
        held.addAll(ports(value));
      } else if (value != null
          && value.getClass().getPackageName().startsWith("io.ferry.activities.")) {
        collectPorts(value, held);
      }
    }
  }

  @Test
  void assembly_implementsEveryActivityInterfaceOfTheContract_once() throws Exception {
    List<Object> activities = ActivityAssembly.activities(standInPorts());

    assertThat(contractInterfaces()).hasSizeGreaterThanOrEqualTo(7);
    assertThat(implemented(activities)).isEqualTo(contractInterfaces());
    assertThat(activities.stream().map(a -> a.getClass().getName()).distinct())
        .hasSameSizeAs(activities);
  }

  @Test
  void everyPortOfTheAssembly_reachesAnActivity() throws Exception {
    Ports ports = standInPorts();
    List<Object> held = portsHeld(ActivityAssembly.activities(ports));

    for (RecordComponent component : Ports.class.getRecordComponents()) {
      if (!component.getType().getPackageName().equals(PORT_PACKAGE)) {
        continue;
      }
      for (Object port : ports(component.getAccessor().invoke(ports))) {
        assertThat(held).as("an activity holding %s", port).contains(port);
      }
    }
  }

  @Test
  void simulatedFleet_registersTheAssembly() {
    assertThat(implemented(new SimulatedFleet().activityImplementations()))
        .isEqualTo(contractInterfaces());
  }

  /** A crash-and-resume replay sees only what went through the journal: every port must. */
  @Test
  void journaledSimulatedFleet_wrapsEveryPortItsActivitiesHold() throws Exception {
    try (PortJournal journal = PortJournal.at(dir.resolve("journal"))) {
      SimulatedFleet fleet =
          new SimulatedFleet(FaultPlan.none(), SecretResolver.standIns(), journal);

      List<Object> held = portsHeld(fleet.activityImplementations());

      assertThat(held).hasSizeGreaterThanOrEqualTo(20);
      assertThat(held)
          .allSatisfy(
              port -> assertThat(Proxy.isProxyClass(port.getClass())).as("%s", port).isTrue());
    }
  }
}
