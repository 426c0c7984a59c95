/**
 * {@code rbee chat}: an interactive chat in the terminal over the queen's OpenAI-compatible
 * chat endpoint, the conversation kept for the session.
 */
package io.rbee.keeper.chat;
