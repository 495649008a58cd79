/**
 * Activity implementations for the cloud provider: droplets, volumes, firewalls and DNS records.
 * They find what an earlier attempt made (by its marker tag) before making it again.
 */
package io.ferry.activities.cloud;
