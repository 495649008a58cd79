/**
 * Activity interfaces, grouped by the system they act on, and the records they exchange. Workflows
 * call these; the {@code activities} module implements them over ports with real and simulated
 * adapters. Every effectful call carries an idempotency key so a retry finds what the first made.
 */
package io.ferry.contract;
