/**
 * Server-Sent Events per the WHATWG HTML specification: one encoder used by every daemon's
 * stream route and one incremental parser used by every client (the queen's relay, the keeper,
 * tests).
 */
package io.rbee.narration.sse;
