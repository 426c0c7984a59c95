// The tables of hives, workers and jobs, redrawn from each poll's answers.
import { age, bytes, cell, jobDuration, keepAlive, time } from './format.js';

function device(d) {
  const mem = d.memory_total_bytes != null
    ? `, ${bytes(d.memory_free_bytes)} free of ${bytes(d.memory_total_bytes)}` : '';
  const cores = d.cores != null ? `, ${d.cores} cores` : '';
  return `${d.id} (${d.name || d.kind}${mem}${cores})`;
}

function heartbeat(h) {
  if (h.liveness == null) return 'no heartbeat yet';
  return `${h.liveness}, ${age(h.last_beat_ms_ago)}`;
}

/** Fills the hives table from GET /v1/cluster's hives. */
export function renderHives(tbody, hives) {
  tbody.replaceChildren(...hives.map((h) => {
    const tr = document.createElement('tr');
    tr.dataset.hiveId = h.hive_id;
    tr.append(cell(h.hive_id), cell(h.state, `state-${h.state}`), cell(h.mode),
      cell(heartbeat(h), h.liveness || ''),
      cell((h.devices || []).map(device).join('; ') || '—'));
    return tr;
  }));
}

function load(w) {
  if (w.busy == null) return '—';
  const queue = w.queue_depth ? `, ${w.queue_depth} waiting` : '';
  return (w.busy ? 'busy' : 'idle') + queue;
}

function keep(w) {
  if (w.keep_alive_ms == null) return '—';
  if (w.keep_alive_ms < 0) return 'loaded for ever';
  const left = w.idle_ms ? Math.max(0, w.keep_alive_ms - w.idle_ms) : w.keep_alive_ms;
  return `${keepAlive(w.keep_alive_ms)} (${keepAlive(left)} left)`;
}

/** Fills the workers table from GET /v1/cluster's workers. */
export function renderWorkers(tbody, workers) {
  if (workers.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('No workers: a prompt starts one.', 'muted');
    td.colSpan = 8;
    tr.append(td);
    tbody.replaceChildren(tr);
    return;
  }
  tbody.replaceChildren(...workers.map((w) => {
    const tr = document.createElement('tr');
    tr.dataset.workerId = w.worker_id;
    const rate = w.tokens_per_second != null ? w.tokens_per_second.toFixed(1) : '—';
    tr.append(cell(w.worker_id), cell(w.hive_id), cell(w.model), cell(w.device),
      cell(w.state, `state-${w.state}`), cell(load(w)), cell(rate), cell(keep(w)));
    return tr;
  }));
}

/** Fills the jobs table; a click on a row calls pick(jobId). */
export function renderJobs(tbody, jobs, selected, pick) {
  tbody.replaceChildren(...jobs.map((j) => {
    const tr = document.createElement('tr');
    tr.className = 'pick' + (j.job_id === selected ? ' selected' : '');
    tr.dataset.jobId = j.job_id;
    tr.append(cell(j.job_id), cell(j.operation), cell(j.status, `state-${j.status}`),
      cell(time(j.created_at)), cell(jobDuration(j)), cell(j.error || ''));
    tr.addEventListener('click', () => pick(j.job_id));
    return tr;
  }));
}

/** Keeps a select's options equal to values, keeping the user's choice when it is still one. */
export function fillSelect(select, values) {
  const current = select.value;
  const same = select.options.length === values.length
    && values.every((v, i) => select.options[i].value === v);
  if (same) return;
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = v;
    return o;
  }));
  if (values.includes(current)) select.value = current;
}
