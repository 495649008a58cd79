/**
 * The runbook toolkit: steps with compensations, gates, manual steps, soaks, points of no return,
 * failure policy and operator controls, written once so each roadmap workflow reads like its seed's
 * checklist. Everything here runs inside workflow code and is deterministic.
 */
package io.ferry.runbook;
