/** A job context for tests that run operation code directly, as integrated mode does. */
package io.rbee.testkit.jobs;
