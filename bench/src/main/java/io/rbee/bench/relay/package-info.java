/**
 * The narration relay benchmark's parts: the flood of narration a hive emits ({@link
 * io.rbee.bench.relay.Flood}), nginx as the reference relay ({@link
 * io.rbee.bench.relay.NginxProxy}), and the follower that times every event ({@link
 * io.rbee.bench.relay.FloodFollower}).
 */
package io.rbee.bench.relay;
