/**
 * A standard node beside an old stack: its compose project, the old and new services' health and
 * ports, and PostgreSQL standbys replicating from the existing primary.
 */
package io.ferry.activities.node;
