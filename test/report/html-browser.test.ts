import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM as CHROMIUM_TOOL, missing } from '../tools.js';
import { main } from '../../cli/main.js';
import { capture } from '../cli/capture.js';
import { toySource } from '../cli/toy-source.js';

/**
 * The HTML trace view clicked through in a real browser: Debian's chromium, which CI installs
 * (.ci/run). A missing browser fails the test rather than skipping it, so the view cannot go
 * untested unnoticed.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const scratch = mkdtempSync(join(tmpdir(), 'html-view-'));
const page = join(scratch, 'trace.html');
let browser: Browser | undefined;

const skip = missing(CHROMIUM_TOOL);

beforeAll(async () => {
  if (skip) return;
  const r = await capture(() => main(['check', 'wrongly-expected', '--html', page, '--no-color'], toySource()));
  expect(r.code).toBe(1);
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(skip)('HTML trace view', () => {
  it('is self-contained: no external script, style, image or link', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/https?:\/\/(?!memdesc-mc)/);
  });

  it('shows one lane per thread, the steps in order, the broken invariant, and moves with keys and clicks', async () => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    const requests: string[] = [];
    p.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await p.goto(`file://${page}`);

    await expect.poll(() => p.locator('th.lane-head').allTextContents()).toEqual(['alpha', 'beta']);
    expect(await p.locator('th.lane-head').first().isVisible()).toBe(true);
    const steps = p.locator('tr.step');
    expect(await steps.count()).toBe(5);
    expect(await steps.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.step))).toEqual(['1', '2', '3', '4', '5']);

    const broken = p.locator('#broken');
    expect(await broken.isVisible()).toBe(true);
    expect(await broken.textContent()).toContain('no-lost-update broken at step 5: x is 1 after 2 increments');
    expect(await p.locator('tr.step.breaks').getAttribute('data-step')).toBe('5');

    // Each step sits in its own thread's lane: the cell with the action is the lane's column.
    const actLanes = await steps.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td.lane')].findIndex((td) => td.querySelector('.act'))));
    expect(actLanes.every((l) => l === 0 || l === 1)).toBe(true);

    // The breaking step is selected on load; Home goes to the first, j / ArrowDown move down,
    // k / ArrowUp move up.
    const selected = () => p.locator('tr.step.selected').getAttribute('data-step');
    expect(await selected()).toBe('5');
    await p.keyboard.press('Home');
    expect(await selected()).toBe('1');
    await p.keyboard.press('j');
    expect(await selected()).toBe('2');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    expect(await selected()).toBe('4');
    await p.keyboard.press('k');
    expect(await selected()).toBe('3');
    await p.keyboard.press('End');
    expect(await selected()).toBe('5');
    await p.keyboard.press('ArrowDown');
    expect(await selected()).toBe('5');
    expect(await p.locator('#details').textContent()).toContain('✗ no-lost-update');

    // Clicking a step shows its diff: only the fields it changed, before and after.
    await steps.nth(0).click();
    expect(await selected()).toBe('1');
    const title = await p.locator('#detail-title').textContent();
    expect(title).toMatch(/^Step 1: (alpha noop:step|alpha inc:load|beta inc:load)$/);
    const diffRows = await p.locator('#details table.diff tr').allTextContents();
    expect(diffRows.length).toBeGreaterThanOrEqual(2);
    expect(diffRows[0]).toBe('fieldbeforeafter');

    // Kept outside the scratch folder so a person can look at it after the run.
    const shot = join(tmpdir(), 'memdesc-mc-trace-view.png');
    await p.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5000);
    expect(requests).toEqual([]);
    await ctx.close();
  });

  it('draws a lock bar in the lane of the thread holding the lock', async () => {
    const locked = join(scratch, 'locked.html');
    // limit: x reaches 2 inside beta's or alpha's locked section, so some step ends holding x_lock.
    const r = await capture(() => main(['check', 'limit', '--design', 'strict', '--html', locked], toySource()));
    expect(r.code).toBe(0);
    const ctx = await browser!.newContext();
    const p = await ctx.newPage();
    await p.goto(`file://${locked}`);
    const bars = await p.locator('tr.step').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td.lane')].map((td) => (td.querySelector('.lockbar') as HTMLElement | null)?.title ?? '')));
    // After step 1 (a lock) exactly one lane holds x_lock; the last step (a store) still holds it.
    expect(bars[0].filter((t) => t === 'x_lock')).toHaveLength(1);
    expect(bars[bars.length - 1].filter((t) => t === 'x_lock')).toHaveLength(1);
    expect(await p.locator('.lockbar').first().isVisible()).toBe(true);
    await ctx.close();
  });
});
