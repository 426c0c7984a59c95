/**
 * The queen's dashboard: the page and its assets (served from the jar, no build step, no
 * library), the browser login that trades the token for a session cookie, and the cluster
 * snapshot the page polls ({@code GET /v1/cluster}).
 */
package io.rbee.queen.dashboard;
