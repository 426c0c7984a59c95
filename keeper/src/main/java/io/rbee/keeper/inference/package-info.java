/** {@code rbee infer}: a completion streamed token by token to stdout. */
package io.rbee.keeper.inference;
