/**
 * The lab: registered roadmaps run over the real adapters against hosts built from network
 * namespaces on this machine, with real OpenSSH, PostgreSQL, Redis and nginx ({@code -Plab}).
 */
package io.ferry.lab;
