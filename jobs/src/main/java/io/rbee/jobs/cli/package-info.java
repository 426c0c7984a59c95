/**
 * The command-line style every rbee program shares (picocli): {@code rbee} and the mains of
 * the queen, the hive and the worker report a bad command line the same way and end with
 * {@link io.rbee.jobs.ExitCode#USAGE}.
 */
package io.rbee.jobs.cli;
