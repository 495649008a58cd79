/**
 * The weaviate-first roadmap (seed 001): a Redis-protocol memory store moves to Weaviate and
 * PostgreSQL on two DigitalOcean droplets, with DNS cutover, a week's soak and a final purge.
 */
package io.ferry.roadmap.weaviatefirst;
