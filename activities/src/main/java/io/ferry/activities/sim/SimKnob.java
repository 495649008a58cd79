package io.ferry.activities.sim;

import io.ferry.plan.Durations;
import io.ferry.plan.Plan;
import java.time.Duration;

/**
 * A condition of the simulated world a rehearsal may set after seeding, such as a slow endpoint
 * (ferry rehearse ROADMAP --sim NAME=VALUE).
 *
 * @param name kebab-case, unique within its roadmap
 * @param does what turning it changes, in a sentence for help texts
 * @param valueForm the form of its value, such as "a duration such as 80ms"
 * @param example a value of that form the roadmap's example plan accepts, such as "80ms"
 * @param setter sets a parsed value on the world, for the plan's URLs and hosts
 */
public record SimKnob<P extends Plan>(
    String name, String does, String valueForm, String example, Setter<P> setter) {

  /** Parses a value and sets it; throws IllegalArgumentException when the value is not valid. */
  @FunctionalInterface
  public interface Setter<P extends Plan> {
    void set(SimWorld world, P plan, String value);
  }

  /** How a value is set once parsed. */
  @FunctionalInterface
  public interface Apply<P extends Plan, V> {
    void apply(SimWorld world, P plan, V value);
  }

  private static final String DURATION = "a duration such as 80ms or 2s";
  private static final String HTTP_STATUS = "an HTTP status from 100 to 599, such as 503";

  /** A knob whose value is a duration: 80ms, 2s, or ISO-8601. */
  public static <P extends Plan> SimKnob<P> duration(
      String name, String does, Apply<P, Duration> apply) {
    return new SimKnob<>(
        name,
        does,
        DURATION,
        "80ms",
        (world, plan, value) -> apply.apply(world, plan, parseDuration(name, value)));
  }

  /** A knob whose value is an HTTP status code. */
  public static <P extends Plan> SimKnob<P> httpStatus(
      String name, String does, Apply<P, Integer> apply) {
    return new SimKnob<>(
        name,
        does,
        HTTP_STATUS,
        "503",
        (world, plan, value) -> apply.apply(world, plan, parseStatus(name, value)));
  }

  /** Sets {@code value} on the world; a bad value fails naming this knob and its form. */
  public void turn(SimWorld world, P plan, String value) {
    setter.set(world, plan, value);
  }

  private static Duration parseDuration(String name, String value) {
    try {
      Duration d = Durations.parse(value);
      if (!d.isNegative()) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // said below, with the knob's name
    }
    throw badValue(name, value, DURATION);
  }

  private static int parseStatus(String name, String value) {
    try {
      int status = Integer.parseInt(value == null ? "" : value.trim());
      if (status >= 100 && status <= 599) {
        return status;
      }
    } catch (NumberFormatException e) {
      // said below, with the knob's name
    }
    throw badValue(name, value, HTTP_STATUS);
  }

  private static IllegalArgumentException badValue(String name, String value, String form) {
    return new IllegalArgumentException("sim knob " + name + ": '" + value + "' is not " + form);
  }
}
