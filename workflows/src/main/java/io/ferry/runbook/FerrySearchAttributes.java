package io.ferry.runbook;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.util.Map;

/**
 * Search attributes that let the Web UI filter migrations ({@code FerryState =
 * "awaiting-approval"}). A server must have them registered before a workflow upserts them, or its
 * tasks fail.
 */
public final class FerrySearchAttributes {
  public static final SearchAttributeKey<String> ROADMAP =
      SearchAttributeKey.forKeyword("FerryRoadmap");
  public static final SearchAttributeKey<String> STATE =
      SearchAttributeKey.forKeyword("FerryState");
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("FerryPhase");

  /** Name to type, for registering on a server. */
  public static final Map<String, IndexedValueType> DEFINITIONS =
      Map.of(
          ROADMAP.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
          STATE.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
          PHASE.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

  private FerrySearchAttributes() {}
}
