package io.ferry.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.converter.RawValue;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats for an activity until it heartbeats itself, so a worker that dies in the middle of any
 * activity is noticed after the heartbeat timeout (seconds) instead of the start-to-close timeout
 * (minutes), and a replacement takes over.
 *
 * <p>Once the activity heartbeats on its own, it owns the heartbeat: its silence then means it is
 * stuck, and the timeout should say so. Until then, the beats carry the previous attempt's details
 * unchanged, so a checkpoint survives, and the activity reads that checkpoint as if nothing had
 * beaten in between.
 */
public final class LivenessHeartbeats extends WorkerInterceptorBase {

  private static final Logger log = LoggerFactory.getLogger(LivenessHeartbeats.class);

  /** One per JVM: beats are tiny, and a worker runs a handful of activities at a time. */
  private static final ScheduledExecutorService BEATS =
      Executors.newScheduledThreadPool(
          2,
          runnable -> {
            Thread thread = new Thread(runnable, "ferry-liveness-heartbeats");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private Beating context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = new Beating(context);
        super.init(this.context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        Duration timeout = context.getInfo().getHeartbeatTimeout();
        if (timeout == null || timeout.isZero()) {
          return super.execute(input);
        }
        long every = Math.max(1000, timeout.toMillis() / 3);
        ScheduledFuture<?> beating =
            BEATS.scheduleWithFixedDelay(context::beat, every, every, TimeUnit.MILLISECONDS);
        try {
          return super.execute(input);
        } finally {
          beating.cancel(false);
        }
      }
    };
  }

  /** The activity's context, watching whether the activity heartbeats itself. */
  private static final class Beating extends ActivityExecutionContextBase {
    private boolean ownHeartbeats;

    Beating(ActivityExecutionContext next) {
      super(next);
    }

    @Override
    public synchronized <V> void heartbeat(V details) {
      ownHeartbeats = true;
      super.heartbeat(details);
    }

    /** One liveness beat, unless the activity has taken over; never throws. */
    synchronized void beat() {
      if (ownHeartbeats) {
        throw new CancelBeats();
      }
      try {
        super.heartbeat(super.getLastHeartbeatDetails(RawValue.class).orElse(null));
      } catch (RuntimeException e) {
        // cancellation or a lost connection: the activity learns of it from its own calls
        log.debug(
            "liveness heartbeat for {} not sent: {}", getInfo().getActivityId(), e.toString());
      }
    }

    @Override
    public synchronized <V> Optional<V> getHeartbeatDetails(Class<V> detailsClass) {
      return ownHeartbeats
          ? super.getHeartbeatDetails(detailsClass)
          : super.getLastHeartbeatDetails(detailsClass);
    }

    @Override
    public synchronized <V> Optional<V> getHeartbeatDetails(
        Class<V> detailsClass, Type detailsGenericType) {
      return ownHeartbeats
          ? super.getHeartbeatDetails(detailsClass, detailsGenericType)
          : super.getLastHeartbeatDetails(detailsClass, detailsGenericType);
    }
  }

  /** Ends a scheduled beat task: thrown out of it, it stops the repetition. */
  private static final class CancelBeats extends RuntimeException {
    CancelBeats() {
      super(null, null, false, false);
    }
  }
}
