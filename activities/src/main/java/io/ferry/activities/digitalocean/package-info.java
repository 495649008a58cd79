/**
 * Real DigitalOcean adapters: {@link io.ferry.activities.port.ComputePort} and {@link
 * io.ferry.activities.port.DnsPort} over digitalocean-api-client, and a small typed client ({@link
 * io.ferry.activities.digitalocean.DigitalOceanApi}) for what that library lacks: VPCs, projects,
 * App Platform, Container Registry and managed databases. {@link
 * io.ferry.activities.digitalocean.DigitalOceanApps}, {@link
 * io.ferry.activities.digitalocean.DigitalOceanRegistry} and {@link
 * io.ferry.activities.digitalocean.DigitalOceanDatabases} are the ports of DigitalOcean's platform
 * services over that client.
 */
package io.ferry.activities.digitalocean;
