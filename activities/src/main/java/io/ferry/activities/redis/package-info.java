/**
 * The real memory-store adapter: Redis, Valkey and Dragonfly over the Redis protocol with Jedis,
 * pooled per target, plain or TLS ({@code rediss://}).
 */
package io.ferry.activities.redis;
