/**
 * How a daemon's log is written: secrets redacted from every line (messages and stack traces)
 * and, when the daemon has a log file, rolled over by size ({@code logback-file.xml}).
 */
package io.rbee.jobs.logs;
