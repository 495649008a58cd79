/**
 * Moving a development VM onto prepared nodes: finding them, code sync, venv, env file, systemd
 * unit, container, node exporter, the source's archive in an object store and resource watching,
 * over their ports.
 */
package io.ferry.activities.transition;
