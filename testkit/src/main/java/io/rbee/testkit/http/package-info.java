/** A local HTTP file server for tests: serves byte arrays, honours Range, injects faults. */
package io.rbee.testkit.http;
