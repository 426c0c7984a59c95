/**
 * Machines reached over SSH (Apache MINA SSHD): the inventory of host aliases
 * ({@code ~/.ssh/config} and {@code $RBEE_HOME/hives.conf}), host keys checked against the
 * user's known_hosts, and one session per operation that runs remote commands (their output
 * narrated live) and copies files over SFTP.
 */
package io.rbee.queen.ssh;
