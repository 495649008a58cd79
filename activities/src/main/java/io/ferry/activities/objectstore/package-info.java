/**
 * S3-compatible object stores (DigitalOcean Spaces) through the AWS SDK v2 S3 client with an
 * endpoint override: the adapter of the object store port.
 */
package io.ferry.activities.objectstore;
