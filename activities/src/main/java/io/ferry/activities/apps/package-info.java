/**
 * App Platform, the container registry and managed databases: the activities of the app-platform
 * roadmap, over their ports.
 */
package io.ferry.activities.apps;
