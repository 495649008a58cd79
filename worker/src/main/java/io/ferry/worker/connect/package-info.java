/**
 * How the CLI and the worker reach a Temporal frontend: Temporal's environment configuration
 * (temporal.toml profiles, TEMPORAL_* variables) with flags overriding, TLS, mTLS and API keys.
 */
package io.ferry.worker.connect;
