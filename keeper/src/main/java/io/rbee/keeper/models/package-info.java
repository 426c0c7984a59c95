/** The {@code rbee model} commands: a hive's model catalog, run as queen jobs. */
package io.rbee.keeper.models;
