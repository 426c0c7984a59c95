/** Test support for job streams: a recorder that collects SSE events for exact assertions. */
package io.rbee.testkit.sse;
