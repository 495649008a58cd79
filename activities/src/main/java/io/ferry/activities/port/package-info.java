/**
 * Ports: narrow, intent-level interfaces (create droplet, write file, upsert objects) that activity
 * implementations talk to, one per capability (a host's files, services, compose projects,
 * containers and logs are separate ports). Each has a real adapter and a simulated one in {@code
 * sim}; a fleet gathers its adapters in {@link io.ferry.activities.Ports}.
 */
package io.ferry.activities.port;
