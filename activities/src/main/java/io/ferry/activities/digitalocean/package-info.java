/**
 * Real DigitalOcean adapters: {@link io.ferry.activities.port.ComputePort} and {@link
 * io.ferry.activities.port.DnsPort} over digitalocean-api-client, and a small typed client ({@link
 * io.ferry.activities.digitalocean.DigitalOceanApi}) for what that library lacks: VPCs, projects,
 * App Platform, Container Registry and managed databases.
 */
package io.ferry.activities.digitalocean;
