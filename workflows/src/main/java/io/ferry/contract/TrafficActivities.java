package io.ferry.contract;

import io.ferry.plan.PostgresTarget;
import io.ferry.runbook.ProbeVerdict;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;

/** Measurements that judge a traffic shift: probes of the old and new backends, replication lag. */
@ActivityInterface(namePrefix = "Traffic.")
public interface TrafficActivities {

  /**
   * One round of an analysis window: {@code requests} GETs of each URL, old and new, and of each
   * public URL (through the edge: the zero-downtime count), and the standbys' replay lag when
   * asked. A round whose failed public requests are more than the shift's budget still allows FAILs
   * decisively. FAIL when the new backend misses a threshold while the old one meets it, or the lag
   * is over its limit; INCONCLUSIVE when the old one misses them too (the trouble is not the new
   * backend's) or a standby reports no lag; PASS otherwise.
   */
  AnalysisRound probeRound(AnalysisProbe probe);

  /**
   * @param newPercent the share the new backend has during this window (for the record)
   * @param requests GETs per URL in this round
   * @param minSuccessRate share of answers with a 2xx/3xx status, 0 to 1
   * @param maxP95 the slowest 5 % of answers may take at most this
   * @param lag the replication lag limit, or null
   * @param inconclusiveFails whether an INCONCLUSIVE round counts as failed (the plan's {@code
   *     inconclusive: rollback})
   * @param publicUrls what users reach through the edge; empty when the roadmap names none
   * @param publicFailuresAllowed failed public requests the shift's budget still allows
   * @param publicSpan how long the public URLs are probed, again and again, in this round (the time
   *     until the next round, so the watch has no gaps); null: {@code requests} times at once
   */
  record AnalysisProbe(
      int newPercent,
      List<String> oldUrls,
      List<String> newUrls,
      int requests,
      double minSuccessRate,
      Duration maxP95,
      LagLimit lag,
      boolean inconclusiveFails,
      List<String> publicUrls,
      int publicFailuresAllowed,
      Duration publicSpan) {}

  /**
   * @param standbys the standbys whose lag counts, by {@code application_name}; all when empty
   */
  record LagLimit(PostgresTarget primary, List<String> standbys, Duration max) {}

  enum Verdict {
    PASS,
    FAIL,
    INCONCLUSIVE
  }

  /**
   * @param maxLag the largest replay lag among the standbys, or null when not measured
   * @param publicFailed public requests without a 2xx/3xx answer in this round
   * @param budgetSpent the failed public requests are more than the budget allowed
   */
  record AnalysisRound(
      int newPercent,
      Verdict verdict,
      double newSuccessRate,
      Duration newP95,
      double oldSuccessRate,
      Duration oldP95,
      Duration maxLag,
      String reason,
      boolean inconclusiveFails,
      int publicRequests,
      int publicFailed,
      boolean budgetSpent)
      implements ProbeVerdict, Summarized {

    @Override
    public boolean passed() {
      return !budgetSpent
          && (verdict == Verdict.PASS || (verdict == Verdict.INCONCLUSIVE && !inconclusiveFails));
    }

    @Override
    public boolean decisive() {
      return budgetSpent;
    }

    @Override
    public String detail() {
      return summary();
    }

    @Override
    public String summary() {
      return verdict
          + " at "
          + newPercent
          + " %: new "
          + Math.round(newSuccessRate * 1000) / 10.0
          + " % ok, p95 "
          + newP95.toMillis()
          + " ms; old "
          + Math.round(oldSuccessRate * 1000) / 10.0
          + " % ok, p95 "
          + oldP95.toMillis()
          + " ms"
          + (maxLag == null ? "" : "; replication lag " + maxLag.toMillis() + " ms")
          + (publicRequests == 0
              ? ""
              : "; public " + publicFailed + "/" + publicRequests + " requests failed")
          + (reason == null ? "" : " (" + reason + ")");
    }
  }
}
