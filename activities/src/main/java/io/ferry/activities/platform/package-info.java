/**
 * DigitalOcean's platform services: App Platform apps and deployments, the container registry and
 * managed databases, each an activity implementation over its port.
 */
package io.ferry.activities.platform;
