/**
 * The client side of the job API, for the keeper, the queen's relay to hives, and tests:
 * submit an operation, follow its stream (resuming with {@code Last-Event-ID} when a connection
 * breaks), cancel it, read REST resources. Depends on the contract only, never on daemon code.
 */
package io.rbee.jobs.client;
