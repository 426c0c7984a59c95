// What the page shows numbers as: words and units a person reads without knowing the API.

/** 850 ms, 1.2 s, 3 min 4 s, 2 h 5 min. */
export function duration(ms) {
  if (ms == null || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** "3 s ago", "2 min ago". */
export function age(ms) {
  if (ms == null) return '';
  if (ms < 1000) return 'just now';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}

/** 512 B, 3.4 MiB, 7.9 GiB. */
export function bytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

/** Wall-clock time of an ISO instant, in the browser's locale. */
export function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

/** How long a job ran (or has been running): from created_at to finished_at or now. */
export function jobDuration(job, now = Date.now()) {
  if (!job.created_at) return '';
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  return duration(end - Date.parse(job.created_at)) + (job.finished_at ? '' : ' so far');
}

/** A keep-alive in ms as words: "for ever", "5 min". */
export function keepAlive(ms) {
  if (ms == null) return '';
  return ms < 0 ? 'for ever' : duration(ms);
}

/** A table cell with text (never HTML: everything shown comes from the network). */
export function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  return td;
}
