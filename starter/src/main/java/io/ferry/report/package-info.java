/**
 * The migration report: one self-contained HTML page (timeline, gates, undos, measured figures,
 * operator log) built from a workflow's history and, while it runs, its status query.
 */
package io.ferry.report;
