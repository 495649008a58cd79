/**
 * The edge proxy in front of old and new backends: the edge activities (weighted routes, test
 * users, restore) and the nginx site they render.
 */
package io.ferry.activities.edge;
