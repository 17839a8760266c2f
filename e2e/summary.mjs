// Reads the Playwright JSON reports that scripts/e2e writes (our UI's scenarios, the original
// client's own specs and our scenarios for it), prints what passed, failed and was skipped (with the reason each spec gives), and
// exits 1 if anything failed.
//
// A client spec listed in client-exclusions.json does not fail the run when it fails, but
// only while its reason holds: an entry that `needs` endpoints is tolerated only while one
// of them answers 404 on this service (so it counts again as soon as the endpoint lands);
// an entry without `needs` documents a spec that cannot pass against any backend (see
// e2e/README.md). Our own scenarios have no exclusions.
//
// Usage: node summary.mjs --out DIR --base URL --exclusions FILE --seconds N [--suites ui,client,own]
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const opts = {};
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].slice(2)] = process.argv[i + 1];

const plain = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const firstLine = (text) => plain(text).split('\n').map((l) => l.trim()).find((l) => l) ?? '';
/** An error's first line, with the locator it waited for when it names one. */
const errorLine = (text) => {
  const lines = plain(text).split('\n').map((l) => l.trim());
  const locator = lines.find((l) => l.startsWith('Locator:'));
  return locator ? `${firstLine(text)} (${locator})` : firstLine(text);
};

/** Every test of a Playwright JSON report, flattened. */
function tests(report) {
  const out = [];
  const walk = (suite, file) => {
    const here = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const results = test.results ?? [];
        const last = results[results.length - 1];
        const annotations = [...(test.annotations ?? []), ...(last?.annotations ?? [])];
        const skipNote = annotations.find((a) => a.type === 'skip' || a.type === 'fixme');
        let status;
        if (test.status === 'skipped' || last?.status === 'skipped') status = 'skipped';
        else if (test.status === 'expected') status = 'passed';
        else if (test.status === 'flaky') status = 'flaky';
        else status = 'failed';
        const error = last?.error?.message ?? last?.errors?.[0]?.message ?? '';
        out.push({
          file: path.basename(here ?? spec.file ?? '?'),
          title: spec.title,
          status,
          seconds: (results.reduce((s, r) => s + (r.duration ?? 0), 0) / 1000).toFixed(1),
          reason: status === 'skipped' ? (skipNote?.description ?? 'skipped') : errorLine(error),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file);
  return out;
}

function load(name) {
  const file = path.join(opts.out, name);
  if (!fs.existsSync(file)) return { missing: file };
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** 404 = the route is not served by this build of gw2opt. */
async function missing(endpoint) {
  const [method, route] = endpoint.split(' ');
  const init = { method };
  if (method !== 'GET' && method !== 'HEAD') {
    init.headers = { 'content-type': 'application/json' };
    init.body = '{}';
  }
  const response = await fetch(new URL(route, opts.base), init);
  await response.arrayBuffer();
  return response.status === 404;
}

const exclusions = JSON.parse(fs.readFileSync(opts.exclusions, 'utf8')).exclusions;
const exclusionFor = (t) =>
  exclusions.find((e) => e.spec === t.file && (e.test === undefined || e.test === t.title));

let failed = 0;
let passed = 0;
let skipped = 0;
let excluded = 0;
const lines = [];

const suites = {
  ui: ["our web UI's scenarios (e2e/ui)", 'ui-report.json'],
  client: ["the original client's own specs (tests/e2e)", 'client-report.json'],
  own: ['our scenarios for the original client (e2e/specs)', 'own-report.json'],
};
for (const [label, name] of (opts.suites ?? 'ui,client,own').split(',').map((s) => suites[s])) {
  const report = load(name);
  lines.push(`-- ${label}`);
  if (report.missing) {
    lines.push(`   FAILED: no report (${report.missing}): Playwright did not run`);
    failed += 1;
    continue;
  }
  for (const error of report.errors ?? []) {
    lines.push(`   FAILED (run error): ${firstLine(error.message)}`);
    failed += 1;
  }
  const own = name !== 'client-report.json';
  for (const t of tests(report)) {
    const where = `${t.file} › ${t.title}`;
    if (t.status === 'passed') {
      passed += 1;
      const rule = own ? undefined : exclusionFor(t);
      lines.push(`   passed   ${where} (${t.seconds}s)${rule ? '  [listed in client-exclusions.json: passes now, remove the entry]' : ''}`);
    } else if (t.status === 'skipped') {
      skipped += 1;
      lines.push(`   skipped  ${where}: ${t.reason}`);
    } else {
      const rule = own ? undefined : exclusionFor(t);
      let tolerated = false;
      let because = '';
      if (rule) {
        const needs = rule.needs ?? [];
        if (needs.length === 0) {
          tolerated = true;
          because = rule.why;
        } else {
          const absent = [];
          for (const endpoint of needs) if (await missing(endpoint)) absent.push(endpoint);
          tolerated = absent.length > 0;
          because = tolerated
            ? `${rule.why} (not served here: ${absent.join(', ')})`
            : `its exclusion no longer applies: ${needs.join(', ')} ${needs.length > 1 ? 'are' : 'is'} served`;
        }
      }
      if (tolerated) {
        excluded += 1;
        lines.push(`   excluded ${where}: ${because}\n            failed with: ${t.reason}`);
      } else {
        failed += 1;
        lines.push(`   FAILED   ${where} (${t.seconds}s): ${t.reason}${because ? `\n            ${because}` : ''}`);
      }
    }
  }
}

console.log('\n== e2e summary');
for (const line of lines) console.log(line);
console.log(`-- ${excluded} client spec(s) excluded (known, see e2e/README.md); reports and screenshots in ${opts.out}`);
console.log(`-- time: ${opts.seconds}s`);
console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
