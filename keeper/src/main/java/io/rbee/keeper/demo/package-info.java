/** {@code rbee demo}: the README's main path on a fresh machine, step by step. */
package io.rbee.keeper.demo;
