/**
 * The job contract every rbee program speaks: the operations (one sealed type, externally
 * tagged in JSON), job states, the {@code done} event, result values and the JSON error shape.
 * Clients depend on this package and {@link io.rbee.jobs.client} only.
 */
package io.rbee.jobs;
