/** Reading a daemon's {@code GET /metrics} in tests, and checking it with {@code promtool}. */
package io.rbee.testkit.metrics;
