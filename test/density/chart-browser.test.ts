import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { capture } from '../cli/capture.js';
import { CHROMIUM as CHROMIUM_TOOL, missing } from '../tools.js';

/**
 * The density chart drawn by a real browser (Debian's chromium, which CI installs): the bars'
 * rendered lengths must be the table's page counts to scale, in the table's order and labels.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const scratch = mkdtempSync(join(tmpdir(), 'density-view-'));
const page = join(scratch, 'density.html');
let browser: Browser | undefined;
const skip = missing(CHROMIUM_TOOL);

beforeAll(async () => {
  if (skip) return;
  const r = await capture(() => main(['density', 'normal:1400,700', '--count', '30000', '--churn', '--html', page]));
  expect(r.code).toBe(0);
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const num = (s: string) => Number(s.replace(/,/g, ''));

describe.skipIf(skip)('density chart in Chromium', () => {
  it('is self-contained: no script, no external resource', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img)\b/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('draws one bar per table row, in order, each as long as its page count to scale', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 1000 } });
    const p = await ctx.newPage();
    await p.goto(`file://${page}`);
    const table = await p.locator('#density-table tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    );
    expect(table.map((r) => r[0])).toEqual([
      'zsmalloc chain 8', 'zsmalloc chain 4', 'zbud', 'z3fold', 'xvmalloc', 'zsmalloc chain 8 after zs_compact', 'zsmalloc chain 4 after zs_compact',
    ]);
    const bars = await p.locator('#density-bars g.bar').evaluateAll((gs) =>
      gs.map((g) => ({
        label: g.querySelector('text.bar-label')!.textContent,
        value: g.querySelector('text.bar-value')!.textContent ?? '',
        width: g.querySelector('rect.bar-rect')!.getBoundingClientRect().width,
        visible: g.querySelector('rect.bar-rect')!.getBoundingClientRect().height > 0,
      })),
    );
    expect(bars.map((b) => b.label)).toEqual(table.map((r) => r[0]));
    const pages = table.map((r) => num(r[2]));
    const widest = Math.max(...bars.map((b) => b.width));
    const most = Math.max(...pages);
    bars.forEach((b, i) => {
      expect(b.visible).toBe(true);
      expect(Math.abs(b.width / widest - pages[i] / most)).toBeLessThan(0.002);
      expect(num(b.value.split(' ')[0])).toBe(pages[i]);
    });
    await ctx.close();
  });

  it('the zsmalloc class histogram adds up to the chain-8 row\'s pages', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 1000 } });
    const p = await ctx.newPage();
    await p.goto(`file://${page}`);
    const chain8 = await p.locator('#density-table tbody tr[data-label="zsmalloc chain 8"] td').nth(2).textContent();
    const classes = await p.locator('#density-classes rect.class-bar').evaluateAll((rs) =>
      rs.map((r) => ({ pages: Number((r as SVGElement).dataset.pages), height: r.getBoundingClientRect().height })),
    );
    expect(classes.length).toBeGreaterThan(50);
    expect(classes.reduce((s, c) => s + c.pages, 0)).toBe(num(chain8!));
    const tallest = classes.reduce((a, c) => (c.pages > a.pages ? c : a));
    for (const c of classes) expect(Math.abs(c.height / tallest.height - c.pages / tallest.pages)).toBeLessThan(0.01);
    await ctx.close();
  });
});
