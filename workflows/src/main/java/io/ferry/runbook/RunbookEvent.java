package io.ferry.runbook;

import io.ferry.plan.NotifyEvent;
import java.util.List;
import java.util.Map;

/**
 * One event people are told about: its kind, what it is about, a sentence, the facts as label and
 * value, and the {@code ferry} commands that answer it.
 */
record RunbookEvent(
    NotifyEvent kind,
    String target,
    String headline,
    Map<String, String> facts,
    List<String> commands) {}
