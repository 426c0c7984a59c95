/**
 * The {@code rbee} command line: the root command, the options every command shares, the exit
 * codes and the one place that turns failures into a message and an exit code.
 */
package io.rbee.keeper;
