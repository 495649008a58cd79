/**
 * Ports: narrow, intent-level interfaces (create droplet, write file, upsert objects) that activity
 * implementations talk to. Each has a simulated adapter in {@code sim} and, later, a real one.
 */
package io.ferry.activities.port;
