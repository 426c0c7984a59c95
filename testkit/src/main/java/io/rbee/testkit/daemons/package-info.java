/**
 * Real rbee daemons for end-to-end tests: each runs as its own OS process on a free port with
 * its own {@code RBEE_HOME}, and is killed (with everything it started) when the test ends.
 */
package io.rbee.testkit.daemons;
