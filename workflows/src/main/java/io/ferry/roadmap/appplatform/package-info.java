/**
 * The app-platform roadmap (seed 002): an app on one droplet moves to DigitalOcean App Platform
 * through the container registry, staging first, then production, DNS and a week's soak before the
 * droplet is destroyed.
 */
package io.ferry.roadmap.appplatform;
