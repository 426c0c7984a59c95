/**
 * The dual-call job API every daemon serves ({@code POST /v1/jobs}, {@code GET /v1/jobs/{id}},
 * {@code GET /v1/jobs/{id}/stream}, {@code DELETE /v1/jobs/{id}}), one implementation shared
 * by queen, hive and worker. A daemon supplies an {@link io.rbee.jobs.server.OperationHandler};
 * operation code receives a {@link io.rbee.jobs.server.JobContext}, never a channel.
 * {@link io.rbee.jobs.server.DaemonHttp} creates a daemon's HTTP app with the one JSON error
 * shape ({@link io.rbee.jobs.server.HttpErrors}); route code refuses requests by throwing
 * {@link io.rbee.jobs.server.ApiException}.
 */
package io.rbee.jobs.server;
