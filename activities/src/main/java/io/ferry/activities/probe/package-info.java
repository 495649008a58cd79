/**
 * Activity implementations for probes: measure, compare with the request's limit, and fail with
 * {@code ThresholdNotMet} naming the value and the limit when it is missed.
 */
package io.ferry.activities.probe;
