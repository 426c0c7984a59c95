/**
 * The keeper's side of the queen: {@link io.rbee.keeper.queen.QueenApi} (what commands ask the
 * queen, over the job client), starting and stopping a local queen process with its pid file,
 * and the {@code rbee queen} commands.
 */
package io.rbee.keeper.queen;
