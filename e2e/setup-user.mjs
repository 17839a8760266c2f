// Creates the end-to-end user through the service's own API (POST /api/v1/auth/register),
// then checks that the client's login call (a form POST to /api/v1/auth/login, as
// auth.service.ts sends it) gives a token pair. Run by scripts/e2e before the browser specs.
//
// Usage: node setup-user.mjs BASE_URL EMAIL USERNAME PASSWORD
// BASE_URL is the address the browser uses (the static server that proxies /api).
import process from 'node:process';

const [base, email, username, password] = process.argv.slice(2);
if (!base || !email || !username || !password) {
  console.error('usage: node setup-user.mjs BASE_URL EMAIL USERNAME PASSWORD');
  process.exit(2);
}

async function call(path, init) {
  const response = await fetch(new URL(path, base), init);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

const registered = await call('/api/v1/auth/register', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, username, password, full_name: 'E2E Commander' }),
});
if (registered.status !== 201) {
  console.error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  process.exit(1);
}

const form = new URLSearchParams({ username: email, password });
const login = await call('/api/v1/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: form.toString(),
});
if (login.status !== 200 || typeof login.body?.access_token !== 'string' || typeof login.body?.refresh_token !== 'string') {
  console.error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  process.exit(1);
}
console.log(`e2e user ${username} <${email}> registered (id ${registered.body.id}); form login gives a token pair`);
