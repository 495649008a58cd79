/**
 * Webhook notifications: the activity that posts a migration's events (JSON or Slack-compatible
 * {@code text}) to the plan's endpoints and the worker's defaults, with the worker's settings.
 */
package io.ferry.activities.notify;
