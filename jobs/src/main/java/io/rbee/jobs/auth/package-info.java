/**
 * The installation's access token: what every daemon requires as {@code Authorization: Bearer}
 * on every path but {@code GET /health}, where it lives ({@code $RBEE_HOME/token}, or
 * {@code RBEE_TOKEN}), and how it is compared and kept out of logs.
 */
package io.rbee.jobs.auth;
