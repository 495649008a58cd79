package io.ferry.roadmap.weaviatefirst;

/** TEMPORARY STUB: replaced by the real implementation in this same change. */
public class WeaviateFirstWorkflowImpl {}
