/**
 * Checklist pieces several roadmaps share, written once: each declares its steps in a roadmap's
 * step table, holds its part of the plan, and runs its steps through the roadmap's runbook.
 */
package io.ferry.roadmap.common;
