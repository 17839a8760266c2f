// Serves a built single-page client (Vite's dist/) and proxies /api to gw2opt serve, as the
// client's own nginx.conf and Vite dev proxy do: files that exist are sent as they are, any
// other path that is not under /api gets index.html (client-side routes such as
// /team-commander), and /api/... goes to the service unchanged (method, path, query, headers,
// body), with the service's status, headers and body sent back.
//
// Node's standard library only. Usage:
//   node serve.mjs --dist DIR --api http://127.0.0.1:PORT --port PORT [--host 127.0.0.1]
// Prints "listening on http://HOST:PORT" once it accepts connections.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

function args(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) {
      throw new Error(`usage: serve.mjs --dist DIR --api URL --port PORT [--host HOST] (at ${key})`);
    }
    out[key.slice(2)] = value;
  }
  for (const required of ['dist', 'api', 'port']) {
    if (!out[required]) throw new Error(`serve.mjs: --${required} is required`);
  }
  return out;
}

const opts = args(process.argv);
const dist = path.resolve(opts.dist);
const api = new URL(opts.api);
const host = opts.host ?? '127.0.0.1';
const port = Number(opts.port);
const indexHtml = path.join(dist, 'index.html');
if (!fs.existsSync(indexHtml)) {
  throw new Error(`serve.mjs: ${indexHtml} not found (build the client first)`);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded by a proxy.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'proxy-authenticate', 'proxy-authorization',
]);

function forwardable(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

function proxy(req, res) {
  const headers = forwardable(req.headers);
  headers.host = api.host;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-proto'] = 'http';
  const upstream = http.request(
    {
      protocol: api.protocol,
      hostname: api.hostname,
      port: api.port,
      method: req.method,
      path: req.url,
      headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
    }
    res.end(JSON.stringify({ detail: `proxy: ${error.message}` }));
  });
  req.pipe(upstream);
}

function sendFile(res, file, method) {
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const stat = fs.statSync(file);
  res.writeHead(200, {
    'content-type': type,
    'content-length': stat.size,
    // Hashed assets may be cached; index.html must not be (it names the current assets).
    'cache-control': file === indexHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
}

function serveStatic(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400);
    res.end();
    return;
  }
  const file = path.join(dist, path.normalize(pathname));
  // Never outside dist/ (path.join has already collapsed any "..").
  const inside = file === dist || file.startsWith(dist + path.sep);
  if (inside && fs.existsSync(file) && fs.statSync(file).isFile()) {
    sendFile(res, file, req.method);
    return;
  }
  // A missing asset is a 404 (a wrong <script> must not get HTML); any other path is a
  // client-side route and gets the application.
  if (pathname.startsWith('/assets/')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  sendFile(res, indexHtml, req.method);
}

const server = http.createServer((req, res) => {
  const pathname = (req.url ?? '/').split('?')[0];
  if (pathname === '/api' || pathname.startsWith('/api/')) {
    proxy(req, res);
  } else {
    serveStatic(req, res);
  }
});

server.listen(port, host, () => {
  console.log(`listening on http://${host}:${port} (dist ${dist}, /api -> ${api.origin})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
