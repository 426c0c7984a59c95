/**
 * Inference through the queen: pick a ready worker that has the model (asking a hive to spawn
 * one when none has), send it the request and relay its tokens into the queen's job. Hives are
 * not on the token path.
 */
package io.rbee.queen.inference;
