/**
 * The real host adapter over SSH (sshj): a reusable exec/SFTP layer with verified host keys and
 * cached connections ({@link io.ferry.activities.ssh.SshSessions}), the one shell-quoting helper
 * ({@link io.ferry.activities.ssh.Shell}), and {@link io.ferry.activities.ssh.SshHosts}.
 */
package io.ferry.activities.ssh;
