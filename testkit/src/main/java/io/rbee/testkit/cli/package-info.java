/** Running an rbee program's command line in-process, for tests of its arguments. */
package io.rbee.testkit.cli;
