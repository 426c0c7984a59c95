// One job followed live: GET /v1/jobs/{id}/stream through an EventSource, which resumes by
// itself after a dropped connection, sending Last-Event-ID (the queen replays from there).
//
// Every event is shown once, with its id in data-event-id: narration as a line (level, actor,
// human text), byte progress as a bar per action, tokens appended to the answer, the result
// and done as lines. The section says in data attributes what a test (or a curious person)
// may check: data-job-id, data-opens (connections opened), data-duplicates (events received
// again and not shown), data-done (the final status once done arrived).
import { bytes, duration } from './format.js';

export class JobView {
  constructor(section) {
    this.section = section;
    this.events = section.querySelector('#job-events');
    this.answer = section.querySelector('#job-answer');
    this.bars = section.querySelector('#job-progress');
    this.status = section.querySelector('#job-status');
    this.source = null;
  }

  /** The job shown now, or null. */
  get jobId() {
    return this.section.dataset.jobId || null;
  }

  /** Shows jobId's events from its first, closing the stream of the job shown before. */
  follow(jobId) {
    this.close();
    const s = this.section;
    s.hidden = false;
    s.dataset.jobId = jobId;
    s.dataset.opens = '0';
    s.dataset.duplicates = '0';
    delete s.dataset.done;
    s.querySelector('#job-id').textContent = jobId;
    this.events.replaceChildren();
    this.bars.replaceChildren();
    this.answer.textContent = '';
    this.answer.hidden = true;
    this.lastId = 0;
    this.setStatus('connecting', 'queued');

    const source = new EventSource(`/v1/jobs/${encodeURIComponent(jobId)}/stream`);
    this.source = source;
    source.addEventListener('open', () => {
      s.dataset.opens = String(Number(s.dataset.opens) + 1);
      this.setStatus('following', 'running');
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // refused (401, 404): EventSource does not retry those
        this.setStatus('stream refused: log in again or pick another job', 'failed');
        this.note('the stream was refused; the job may be unknown to this queen');
      } else {
        this.setStatus('connection lost, resuming…', 'queued');
      }
    });
    for (const name of ['narration', 'token', 'result', 'done']) {
      source.addEventListener(name, (e) => this.receive(name, e));
    }
    source.addEventListener('gap', (e) => {
      let data = {};
      try { data = JSON.parse(e.data); } catch { /* shown as is */ }
      this.note(data.missed != null
        ? `${data.missed} event(s) from id ${data.first_id} are no longer kept and are missing here`
        : `events are missing here: ${e.data}`, 'gap');
    });
  }

  /** Stops following (the view keeps what it shows). */
  close() {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  receive(name, e) {
    const id = Number(e.lastEventId);
    if (id && id <= this.lastId) {
      this.section.dataset.duplicates = String(Number(this.section.dataset.duplicates) + 1);
      return;
    }
    if (id) this.lastId = id;
    let data;
    try {
      data = JSON.parse(e.data);
    } catch {
      data = { text: e.data };
    }
    if (name === 'token') {
      this.token(id, data);
      return;
    }
    const li = document.createElement('li');
    li.dataset.eventId = String(id);
    li.value = id;
    li.className = `event-${name}`;
    if (name === 'narration') {
      this.narration(li, data);
    } else if (name === 'result') {
      li.textContent = `result: ${JSON.stringify(data)}`;
    } else if (name === 'done') {
      this.done(li, data);
    }
    this.events.append(li);
    this.events.scrollTop = this.events.scrollHeight;
  }

  narration(li, n) {
    const level = (n.level || 'info').toLowerCase();
    li.classList.add(`level-${level}`);
    const actor = document.createElement('span');
    actor.className = 'actor';
    actor.textContent = `${level.padEnd(5)} ${n.actor || ''} `;
    li.append(actor, document.createTextNode(n.human || n.action || ''));
    if (n.progress) this.progress(n);
  }

  /** A bar per action (download_progress, ...), updated in place. */
  progress(n) {
    const p = n.progress;
    const key = n.action || 'progress';
    let bar = [...this.bars.children].find((b) => b.dataset.action === key);
    if (!bar) {
      bar = document.createElement('div');
      bar.className = 'bar';
      bar.dataset.action = key;
      bar.append(document.createElement('progress'), document.createElement('span'));
      this.bars.append(bar);
    }
    const [meter, label] = bar.children;
    const isBytes = p.unit === 'bytes';
    const show = (v) => (isBytes ? bytes(v) : `${v} ${p.unit || ''}`.trim());
    if (p.total) {
      meter.max = p.total;
      meter.value = p.current;
      const pct = Math.floor((100 * p.current) / p.total);
      label.textContent = ` ${show(p.current)} of ${show(p.total)} (${pct} %)`;
    } else {
      meter.removeAttribute('value');
      label.textContent = ` ${show(p.current)}`;
    }
  }

  token(id, t) {
    this.answer.hidden = false;
    const span = document.createElement('span');
    span.dataset.eventId = String(id);
    span.className = 'event-token';
    span.textContent = t.text != null ? t.text : '';
    this.answer.append(span);
  }

  done(li, d) {
    const stats = d.stats || {};
    const parts = [`done: ${d.status}`];
    if (d.error) parts.push(d.error);
    if (stats.tokens_out != null) parts.push(`${stats.tokens_out} tokens`);
    if (stats.tokens_per_second != null) parts.push(`${Number(stats.tokens_per_second).toFixed(1)} tokens/s`);
    if (stats.duration_ms != null) parts.push(duration(stats.duration_ms));
    li.textContent = parts.join(' · ');
    this.section.dataset.done = d.status;
    this.setStatus(d.status, d.status);
    this.close(); // else EventSource reconnects to a finished stream
  }

  note(text, className = 'note') {
    const li = document.createElement('li');
    li.className = className;
    li.textContent = text;
    this.events.append(li);
  }

  setStatus(text, state) {
    this.status.textContent = text;
    this.status.className = `status state-${state}`;
  }
}
