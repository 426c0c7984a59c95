/**
 * Running a job from the command line (submit, follow live, exit code by its end) and the
 * {@code rbee jobs} commands that work on any job by id.
 */
package io.rbee.keeper.jobs;
