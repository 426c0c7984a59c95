/** The {@code rbee hive} commands: a hive's lifecycle and checks, run as queen jobs. */
package io.rbee.keeper.hives;
