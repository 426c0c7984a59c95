// Drives the queen's dashboard in headless Chromium for io.rbee.e2e.DashboardTest.
//
// Environment: DASH_URL (the queen, through the test's TCP proxy), DASH_TOKEN (the
// installation's token, typed into the login form), DASH_MODEL_URL (a slow download to
// follow), DASH_PROMPT_MODEL (a model to run a prompt on, default demo), DASH_OUT (where dashboard.png and result.json go), CHROMIUM (the browser binary).
//
// Talks to the test on stdout/stdin, one line each way: it prints "CUT" when the job's stream
// is live and waits for the test's "cut" (every connection through the proxy was just cut).
// Its last stdout line is "RESULT <json>" (also written to DASH_OUT/result.json); the test
// asserts on that. Exits 0 when it got that far, 1 with the error on stderr otherwise.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const env = process.env;
for (const name of ['DASH_URL', 'DASH_TOKEN', 'DASH_MODEL_URL', 'DASH_OUT']) {
  if (!env[name]) throw new Error(`${name} is not set`);
}
const STEP_MS = 30_000;

// lines from the test, in order
const inbox = [];
let waiter = null;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (waiter) { const w = waiter; waiter = null; w(line); } else inbox.push(line);
});
function nextLine(ms) {
  if (inbox.length) return Promise.resolve(inbox.shift());
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from the test in ${ms} ms`)), ms);
    waiter = (line) => { clearTimeout(t); resolve(line); };
  });
}

/**
 * The ids of the events the job view shows, ascending (ids), and whether the narration list
 * and the answer's tokens each show theirs in the order they came (inOrder).
 */
async function shownIds(page) {
  const of = (sel) => page.$$eval(sel, (els) => els.map((e) => Number(e.dataset.eventId)));
  const lines = await of('#job-events [data-event-id]');
  const tokens = await of('#job-answer [data-event-id]');
  const sorted = (a) => a.every((v, i) => i === 0 || a[i - 1] < v);
  return { ids: [...lines, ...tokens].sort((a, b) => a - b), inOrder: sorted(lines) && sorted(tokens) };
}

const userDataDir = mkdtempSync(join(tmpdir(), 'rbee-dashboard-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});
// "Failed to load resource" is the browser noting a refused or cut request: the 401 before the
// login and each cut stream are expected; anything else (a CSP refusal, a script error) is not
const result = { consoleErrors: [], failedLoads: [], cuts: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    (m.text().startsWith('Failed to load resource') ? result.failedLoads : result.consoleErrors)
      .push(m.text());
  });
  page.on('pageerror', (e) => result.consoleErrors.push(String(e)));

  // the login
  await page.goto(`${env.DASH_URL}/`);
  await page.locator('#login').waitFor({ state: 'visible' });
  await page.fill('#token', env.DASH_TOKEN);
  await page.click('#login-form button');
  await page.locator('#hives tr[data-hive-id="localhost"] td.state-running').waitFor();
  result.hiveRow = await page.locator('#hives tr[data-hive-id="localhost"]').innerText();
  result.scriptReadable = await page.evaluate(() => JSON.stringify({
    cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } }));
  result.url = page.url();

  // a download, followed live
  await page.selectOption('#download-hive', 'localhost');
  await page.fill('#download-model', env.DASH_MODEL_URL);
  await page.click('#download-form button');
  const job = page.locator('#job');
  await page.waitForFunction(() => document.querySelector('#job').dataset.jobId);
  result.jobId = await job.getAttribute('data-job-id');
  const count = () => page.locator('#job [data-event-id]').count();

  // cut the stream twice while the job runs: once events flow, again after it resumed
  for (let i = 1; i <= 2; i++) {
    const before = await count();
    await page.waitForFunction(([n, opens]) => {
      const j = document.querySelector('#job');
      return j.querySelectorAll('[data-event-id]').length >= n + 3
        && Number(j.dataset.opens) >= opens;
    }, [i === 1 ? 0 : before, i], { timeout: STEP_MS });
    if (await job.getAttribute('data-done')) break;
    const shown = await count();
    console.log('CUT');
    const answer = await nextLine(STEP_MS);
    if (answer !== 'cut') throw new Error(`the test answered "${answer}" to CUT`);
    result.cuts.push({ shownBefore: shown, doneBefore: await job.getAttribute('data-done') });
  }

  await page.waitForFunction(() => document.querySelector('#job').dataset.done,
    null, { timeout: 90_000 });
  result.done = await job.getAttribute('data-done');
  result.opens = Number(await job.getAttribute('data-opens'));
  result.duplicates = Number(await job.getAttribute('data-duplicates'));
  Object.assign(result, await shownIds(page));
  result.progressBar = await page.locator('#job-progress').innerText();

  // the job in the jobs table, finished
  await page.locator(`#jobs tr[data-job-id="${result.jobId}"] td.state-${result.done}`).waitFor();
  result.jobRow = await page.locator(`#jobs tr[data-job-id="${result.jobId}"]`).innerText();
  await page.screenshot({ path: join(env.DASH_OUT, 'dashboard-download.png'), fullPage: true });

  // a prompt: the answer streams into the job view, and its worker shows its tokens/s
  await page.selectOption('#prompt-model', env.DASH_PROMPT_MODEL || 'demo');
  await page.fill('#prompt-text', 'Once upon a time');
  await page.fill('#prompt-max', '12');
  await page.click('#prompt-form button');
  await page.waitForFunction((before) => {
    const j = document.querySelector('#job');
    return j.dataset.jobId && j.dataset.jobId !== before && j.dataset.done;
  }, result.jobId, { timeout: 120_000 });
  result.infer = {
    jobId: await job.getAttribute('data-job-id'),
    done: await job.getAttribute('data-done'),
    duplicates: Number(await job.getAttribute('data-duplicates')),
    ...await shownIds(page),
    answer: await page.locator('#job-answer').innerText(),
  };
  await page.waitForFunction(() => [...document.querySelectorAll('#workers tr[data-worker-id]')]
    .some((tr) => /[0-9]/.test(tr.children[6].textContent)));
  result.workerRow = await page.locator('#workers tr[data-worker-id]').first().innerText();
  await page.screenshot({ path: join(env.DASH_OUT, 'dashboard.png'), fullPage: true });
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack || e);
  try {
    await context.pages()[0]?.screenshot({ path: join(env.DASH_OUT, 'dashboard-failed.png'), fullPage: true });
  } catch { /* the browser is gone */ }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
writeFileSync(join(env.DASH_OUT, 'result.json'), JSON.stringify(result, null, 2));
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(result.ok ? 0 : 1);
