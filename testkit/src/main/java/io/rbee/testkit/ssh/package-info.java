/**
 * Another machine for tests: an embedded Apache MINA SSHD server on 127.0.0.1 with key auth,
 * exec of real commands as this user, and SFTP.
 */
package io.rbee.testkit.ssh;
