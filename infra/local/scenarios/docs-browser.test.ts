// The API reference page in a real headless Chromium (Debian's chromium, driven by playwright-core): every
// operation of the OpenAPI document is listed, one opens with who may call it and an example, and nothing is
// fetched from outside the local stage. A screenshot stays in .local/ as a test artifact.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPaths } from '../paths.ts';
import { useScenarioStage } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('docs');
let browser: Browser;
const screenshotPath = join(localPaths.root, 'docs-reference.png');

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // As root in CI, and without Chromium's own calls home that a closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => browser?.close());

describe('the API reference page', () => {
  it('lists every operation, opens one with its roles and an example, and loads nothing from outside', async () => {
    const doc = (await (await fetch(`${scenario.stage.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary: string; operationId: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(scenario.stage.url) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    await page.goto(`${scenario.stage.url}/docs`, { waitUntil: 'networkidle' });
    await page.getByText(operations[0]!.summary, { exact: false }).first().waitFor({ timeout: 30_000 });

    const text = (await page.locator('body').textContent()) ?? '';
    const missing = operations.filter((op) => !text.includes(op.summary.slice(0, 60)));
    expect(missing.map((op) => op.operationId)).toEqual([]);

    // Open one operation from the sidebar: its page says who may call it and shows an example request.
    const target = operations.find((op) => op.operationId === 'get-enterprise')!;
    await page
      .getByRole('link', { name: target.summary.slice(0, 40) })
      .first()
      .click();
    await page.getByText('Wie mag dit: onderneming', { exact: false }).first().waitFor({ timeout: 15_000 });
    expect((await page.locator('body').textContent()) ?? '').toMatch(/curl|GET \/v1\/enterprises/);

    mkdirSync(localPaths.root, { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: false });
    expect(outside).toEqual([]);
  }, 90_000);
});
