/** The {@code rbee worker} commands: worker processes on a hive, run as queen jobs. */
package io.rbee.keeper.workers;
