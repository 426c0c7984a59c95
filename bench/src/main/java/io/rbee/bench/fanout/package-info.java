/**
 * The fan-out benchmark's parts: thousands of SSE followers of one job, the nchan reference hub
 * they are compared with, and the probes that watch the server while they follow.
 */
package io.rbee.bench.fanout;
