// The queen's HTTP API as the page uses it: same-origin fetches that carry the session cookie
// (never a token), and one error type for the JSON error body every route answers with.

/** A refusal for want of a live session: the page shows the login. */
export class Unauthorized extends Error {}

/** GET path, its JSON; throws Unauthorized on 401, Error with the server's message else. */
export async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  return read(res);
}

/** method path with body as JSON, the answer's JSON (null for 204). */
export async function sendJson(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return read(await fetch(path, init));
}

async function read(res) {
  if (res.ok) {
    return res.status === 204 ? null : res.json();
  }
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (body && body.error && body.error.message) {
      message = body.error.message;
    }
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401) {
    throw new Unauthorized(message);
  }
  const err = new Error(message);
  err.status = res.status;
  throw err;
}
