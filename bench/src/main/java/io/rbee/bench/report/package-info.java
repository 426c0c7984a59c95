/** Turning repeated measurements into medians, percentiles, ratios and Markdown tables. */
package io.rbee.bench.report;
