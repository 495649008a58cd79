/**
 * Hosts over SSH (sshj): the exec layer with verified host keys and cached connections ({@link
 * io.ferry.activities.ssh.SshSessions}), the shared script helpers ({@link
 * io.ferry.activities.ssh.Shell}, {@link io.ferry.activities.ssh.RemoteScript}), and one adapter
 * per host capability: files, services, compose, containers, logs.
 */
package io.ferry.activities.ssh;
