/**
 * The CLI and the worker against a TLS-terminated Temporal endpoint: certificates made in the test,
 * a TLS proxy in front of the plain test server, mTLS, and the messages for a wrong CA.
 */
package io.ferry.tls;
