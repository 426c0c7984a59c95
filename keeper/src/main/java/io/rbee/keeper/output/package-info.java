/**
 * How the keeper shows a job: narration lines and download bars on stderr, results and tokens
 * on stdout, or raw JSON lines; colour only on a terminal.
 */
package io.rbee.keeper.output;
