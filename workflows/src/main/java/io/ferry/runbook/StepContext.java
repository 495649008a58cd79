package io.ferry.runbook;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;

/**
 * Sends the step an activity call belongs to in the call's header ({@value #HEADER}), so the worker
 * can attribute effects to steps (the simulated ledger, fault injection) without a step parameter
 * in every activity. The workflow side makes one per call; the worker side registers a receiver
 * with the same name on its client.
 */
public final class StepContext implements ContextPropagator {
  public static final String HEADER = "ferry-step";

  private final StepCall step;

  private StepContext(StepCall step) {
    this.step = step;
  }

  public static StepContext of(StepCall step) {
    return new StepContext(step);
  }

  @Override
  public String getName() {
    return HEADER;
  }

  @Override
  public Map<String, Payload> serializeContext(Object context) {
    if (context == null) {
      return Map.of();
    }
    return Map.of(
        HEADER, DefaultDataConverter.STANDARD_INSTANCE.toPayload(context.toString()).orElseThrow());
  }

  @Override
  public Object deserializeContext(Map<String, Payload> header) {
    return decode(header);
  }

  @Override
  public Object getCurrentContext() {
    return step.activityId();
  }

  @Override
  public void setCurrentContext(Object context) {
    // Only the workflow side uses this instance; the worker registers its own receiver.
  }

  /** Reads the step from a header, or null when the call carried none. */
  public static StepCall decode(Map<String, Payload> header) {
    Payload payload = header == null ? null : header.get(HEADER);
    if (payload == null) {
      return null;
    }
    String id =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
    return StepCall.parse(id);
  }
}
