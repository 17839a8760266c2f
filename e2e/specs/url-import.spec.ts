// The URL import page of the original client: a build guide page (served here by a small
// local web server speaking plain HTTP, with a robots.txt) is fetched by the service, which
// finds its chat code and gear text, decodes and analyzes the build; the page shows it all.
// scripts/e2e starts the service with GW2OPT_FETCH_PRIVATE_ADDRESSES=true for this loopback
// server only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, loginThroughUi, expectServed } from './fixtures';

/** A chat code the service itself makes: a Firebrand build saved and exported by the API. */
async function firebrandCode(page: import('@playwright/test').Page, token: string): Promise<string> {
  const headers = { Authorization: `Bearer ${token}` };
  const created = await page.request.post('/api/v1/builds', {
    headers,
    data: {
      name: 'URL import source',
      profession: 'Guardian',
      specialization: 'Firebrand',
      game_mode: 'wvw',
      role: 'support',
      trait_lines: [
        { specialization: 'Radiance', traits: [1, 2, 3] },
        { specialization: 'Honor', traits: [2, 2, 1] },
        { specialization: 'Firebrand', traits: [3, 1, 2] },
      ],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const exported = await page.request.get(`/api/v1/builds/${id}/export?format=chat_code`, { headers });
  expect(exported.status(), await exported.text()).toBe(200);
  return ((await exported.json()) as { chat_code: string }).chat_code;
}

test.describe('URL import', () => {
  test('a guide page is fetched, its chat code and gear read, and the build analyzed', async ({ page }) => {
    const token = await loginThroughUi(page);
    const code = await firebrandCode(page, token);
    const guide = `<!doctype html><html><head><title>Firebrand frontline | Guide</title></head><body>
      <h1>Firebrand</h1><p>WvW zerg frontline support.</p>
      <table><tr><td>Armor</td><td>Minstrel's</td></tr><tr><td>Runes</td><td>Superior Rune of the Monk</td></tr></table>
      <button data-clipboard-text="${code}">Copy template</button></body></html>`;
    const server = http.createServer((req, res) => {
      if (req.url === '/robots.txt') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
      } else if (req.url === '/guides/firebrand') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(guide);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await page.goto('/ai-url-import');
      await expect(page.getByRole('heading', { name: 'Import de build par URL' })).toBeVisible();
      await page.getByPlaceholder('https://hardstuck.gg/build/...').fill(`http://127.0.0.1:${port}/guides/firebrand`);
      await page.getByPlaceholder('WvW Zerg, Roaming, PvE...').fill('WvW Zerg');
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/ai/analyze/url'));
      await page.getByRole('button', { name: /Importer & Analyser/ }).click();
      const response = await answer;
      await expectServed(response, 'POST /api/v1/ai/analyze/url');
      expect(response.status(), await response.text()).toBe(200);
      const body = (await response.json()) as {
        source: { chat_code: string; name: string; stats_text: string; runes_text: string };
        decoded: { specialization_id: number; trait_ids: number[] };
        analysis: { specialization: string; synergy_score: string };
      };
      expect(body.source.chat_code).toBe(code);
      expect(body.source.name).toBe('Firebrand frontline | Guide');
      expect(body.decoded.trait_ids).toHaveLength(9);
      expect(body.analysis.specialization).toBe('Firebrand');

      await expect(page.getByText(code).first()).toBeVisible();
      await expect(page.getByText("Minstrel's", { exact: true }).first()).toBeVisible();
      await expect(page.getByText('Superior Rune of the Monk', { exact: true }).first()).toBeVisible();
      await expect(page.getByText(body.analysis.synergy_score, { exact: true }).first()).toBeVisible();

      // A page its robots.txt keeps private is refused, and the page says so.
      await page.getByPlaceholder('https://hardstuck.gg/build/...').fill(`http://127.0.0.1:${port}/private/build`);
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/ai/analyze/url'));
      await page.getByRole('button', { name: /Importer & Analyser/ }).click();
      const no = await refused;
      expect(no.status()).toBe(422);
      expect(((await no.json()) as { detail: string }).detail).toContain('robots.txt');
    } finally {
      server.close();
    }
  });
});
