// The dashboard: log in (the token buys an HttpOnly session cookie; nothing is kept in
// script-readable storage), then poll GET /v1/cluster and GET /v1/jobs every POLL_MS and
// redraw, follow a job's stream on click, and submit prompts and downloads as jobs.
import { Unauthorized, getJson, sendJson } from './api.js';
import { fillSelect, renderHives, renderJobs, renderWorkers } from './cluster.js';
import { JobView } from './job-view.js';

const POLL_MS = 2000;
const $ = (sel) => document.querySelector(sel);

const view = new JobView($('#job'));
let timer = null;

function showLogin(message) {
  clearTimeout(timer);
  timer = null;
  view.close();
  $('#main').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  $('#token').focus();
}

function showMain() {
  $('#login').hidden = true;
  $('#main').hidden = false;
  $('#logout').hidden = false;
}

function connection(ok, message) {
  const c = $('#connection');
  c.textContent = ok ? '' : `cannot reach the queen (${message}); retrying`;
  c.classList.toggle('lost', !ok);
}

async function poll() {
  timer = null;
  try {
    const cluster = await getJson('/v1/cluster');
    showMain();
    connection(true);
    $('#queen-url').textContent = cluster.queen_url || '';
    renderHives($('#hives tbody'), cluster.hives || []);
    renderWorkers($('#workers tbody'), cluster.workers || []);
    const models = [...new Set((cluster.models || []).map((m) => m.id))].sort();
    fillSelect($('#prompt-model'), models);
    fillSelect($('#download-hive'), (cluster.hives || []).map((h) => h.hive_id));
    await pollJobs();
  } catch (e) {
    if (e instanceof Unauthorized) {
      showLogin($('#main').hidden ? '' : 'The session ended: log in again.');
      return;
    }
    connection(false, e.message);
  }
  timer = setTimeout(poll, POLL_MS);
}

async function pollJobs() {
  try {
    const list = await getJson('/v1/jobs?limit=50');
    const h = list.history || {};
    $('#jobs-note').textContent = h.enabled ? ''
      : `Only jobs since the queen started are listed (${h.reason || 'no history'}).`;
    renderJobs($('#jobs tbody'), list.jobs || [], view.jobId, (id) => view.follow(id));
  } catch (e) {
    if (e instanceof Unauthorized || !e.status) throw e;
    $('#jobs-note').textContent = `The job list is not available: ${e.message}`;
  }
}

$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = $('#token');
  try {
    await sendJson('POST', '/v1/session', { token: input.value });
    input.value = ''; // the page keeps no copy of the token
    $('#login-error').textContent = '';
    poll();
  } catch (e) {
    input.value = '';
    $('#login-error').textContent = e.message;
  }
});

$('#logout').addEventListener('click', async () => {
  try {
    await sendJson('DELETE', '/v1/session');
  } finally {
    showLogin('Logged out.');
  }
});

/** Submits operation as a job and follows it; errors go in the form's alert line. */
function jobForm(form, operation) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const alert = form.querySelector('.error');
    alert.textContent = '';
    try {
      const submitted = await sendJson('POST', '/v1/jobs', { operation: operation(form) });
      view.follow(submitted.job_id);
    } catch (e) {
      if (e instanceof Unauthorized) {
        showLogin('The session ended: log in again.');
      } else {
        alert.textContent = e.message;
      }
    }
  });
}

jobForm($('#prompt-form'), (f) => ({
  Infer: {
    model: f.elements.model.value,
    prompt: f.elements.prompt.value,
    max_tokens: Number(f.elements.max_tokens.value),
  },
}));

jobForm($('#download-form'), (f) => ({
  ModelDownload: { hive_id: f.elements.hive_id.value, model: f.elements.model.value.trim() },
}));

poll();
