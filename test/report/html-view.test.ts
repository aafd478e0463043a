import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM as CHROMIUM_TOOL, missing } from '../tools.js';
import { main } from '../../cli/main.js';
import { capture } from '../cli/capture.js';

/**
 * The HTML view of a real counterexample (A5: three threads, a 40-step trace) in Debian's
 * chromium: where it opens, what a narrow window and a printer see, the state picture, and that
 * a lock bar cannot be taken for a lane's colour.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const scratch = mkdtempSync(join(tmpdir(), 'html-a5-'));
const page = join(scratch, 'a5.html');
let browser: Browser | undefined;
const skip = missing(CHROMIUM_TOOL);

beforeAll(async () => {
  if (skip) return;
  const r = await capture(() => main(['check', 'bug-a5-lock-zspage', '--html', page, '--no-color']));
  expect(r.code).toBe(0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function open(width: number, height: number): Promise<Page> {
  const ctx = await browser!.newContext({ viewport: { width, height } });
  const p = await ctx.newPage();
  await p.goto(`file://${page}`);
  await p.locator('tr.step.selected').waitFor();
  return p;
}

describe.skipIf(skip)('HTML view of the A5 counterexample', () => {
  it('opens at the breaking step, with its diff decoded and the mutated step tagged', async () => {
    const p = await open(1280, 900);
    const breaking = await p.locator('tr.step.breaks').getAttribute('data-step');
    expect(breaking).not.toBeNull();
    expect(await p.locator('tr.step.selected').getAttribute('data-step')).toBe(breaking);
    expect(await p.locator('#detail-title').textContent()).toMatch(new RegExp(`^Step ${breaking}: `));
    expect(await p.locator('tr.step.selected').isVisible()).toBe(true);
    expect(await p.locator('.act .tag').first().textContent()).toBe('mutated by A5');
    // Decoded in the page too: owners by thread name, no pc/ret/op.
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('held by migrate');
    expect(html).not.toMatch(/"field":"\w+\.(pc|ret|op)"/);
    await p.context().close();
  });

  it('at 800×900 every lane header is visible and inside the window', async () => {
    const p = await open(800, 900);
    const heads = p.locator('th.lane-head');
    expect(await heads.allTextContents()).toEqual(['free', 'migrate', 'free_work']);
    // The breaking step it opened at is not hidden behind the panel pinned below the lanes.
    const sel = (await p.locator('tr.step.selected').boundingBox())!;
    const panel = (await p.locator('#details').boundingBox())!;
    expect(sel.y + sel.height).toBeLessThanOrEqual(panel.y + 1);
    await p.evaluate(() => window.scrollTo(0, 0));
    for (let i = 0; i < 3; i++) {
      const h = heads.nth(i);
      expect(await h.isVisible()).toBe(true);
      const box = (await h.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(800);
      // Nothing (the details panel) covers the header's centre.
      const on = await p.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('th')?.textContent ?? null, [box.x + box.width / 2, box.y + box.height / 2]);
      expect(on).toBe(await h.textContent());
    }
    await p.context().close();
  });

  it('print media shows every step: nothing clipped by a scroll area', async () => {
    const p = await open(800, 900);
    await p.emulateMedia({ media: 'print' });
    const steps = p.locator('tr.step');
    const n = await steps.count();
    expect(n).toBe(40);
    const clipped = await p.evaluate(() => {
      const out: string[] = [];
      for (const el of document.querySelectorAll('main, main *')) {
        const cs = getComputedStyle(el);
        if (/(auto|scroll|hidden)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.querySelector('tr.step')) out.push(el.id || el.tagName);
      }
      return out;
    });
    expect(clipped).toEqual([]);
    const pdf = await p.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    // Every step row is laid out (has a height), the last one included.
    const heights = await steps.evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    expect(heights.every((h) => h > 0)).toBe(true);
    await p.context().close();
  });

  it('draws the pages and zspages as inline SVG, and the picture changes between steps', async () => {
    const p = await open(1280, 900);
    const svg = p.locator('#picture svg.state-picture');
    expect(await svg.count()).toBe(1);
    expect(await svg.locator('g.pic-box').count()).toBeGreaterThan(2);
    const ids = await svg.locator('g.pic-box').evaluateAll((gs) => gs.map((g) => (g as SVGGElement).dataset.id));
    expect(ids).toContain('zspage[0]');
    expect(ids).toContain('page[0]');
    // page -> zspage links are drawn as arrows.
    expect(await svg.locator('g.pic-arrow[data-to="zspage[0]"]').count()).toBeGreaterThan(0);
    await p.keyboard.press('Home');
    const first = await p.locator('#picture').innerHTML();
    await p.keyboard.press('End');
    const last = await p.locator('#picture').innerHTML();
    expect(first).not.toBe(last);
    // At the start page[0] is on zspage[0] and unlocked; after step 8 migrate holds its lock.
    await p.locator('tr.step[data-step="8"]').click();
    expect(await p.locator('#picture g.pic-box.locked[data-id="page[0]"]').count()).toBe(1);
    expect(await p.locator('#picture g.pic-box[data-id="page[0]"] text').allTextContents()).toContain('locked: migrate');
    await p.context().close();
  });

  it('lock bars are hatched in the lock colour, not a lane colour, and the legend shows one', async () => {
    const p = await open(1280, 900);
    const styles = await p.evaluate(() => {
      const bar = document.querySelector('td.lane .lockbar') as HTMLElement;
      const act = document.querySelector('td.lane .act') as HTMLElement;
      const head = document.querySelector('th.lane-head') as HTMLElement;
      return {
        bar: getComputedStyle(bar).backgroundImage,
        barBorder: getComputedStyle(bar).borderLeftColor,
        actBorder: getComputedStyle(act).borderLeftColor,
        laneHeads: [...document.querySelectorAll('th.lane-head')].map((h) => getComputedStyle(h).color),
        legend: !!document.querySelector('#legend .lockbar.sample'),
        headColour: getComputedStyle(head).color,
      };
    });
    expect(styles.bar).toMatch(/repeating-linear-gradient/);
    expect(styles.laneHeads).not.toContain(styles.barBorder);
    expect(styles.actBorder).not.toBe(styles.barBorder);
    expect(styles.legend).toBe(true);
    expect(await p.locator('#legend').textContent()).toMatch(/locks the lane's thread holds/);
    await p.context().close();
  });

  it('shows the full state of the selected step on request', async () => {
    const p = await open(1280, 900);
    expect(await p.locator('#full').isVisible()).toBe(false);
    await p.locator('#full-state').check();
    expect(await p.locator('#full table.full-state tr').count()).toBeGreaterThan(20);
    expect(await p.locator('#full').textContent()).toContain('zspage[0].magic');
    // At the breaking step the rebuilt state agrees with the text trace's last value of a field
    // that changed: page[0] is back in the buddy allocator (A5's use-after-free).
    const row = await p.locator('#full table.full-state tr', { hasText: 'page[0].PageBuddy' }).first().textContent();
    expect(row).toBe('page[0].PageBuddy1');
    await p.locator('tr.step[data-step="1"]').click();
    expect(await p.locator('#full table.full-state tr', { hasText: 'page[0].PageBuddy' }).first().textContent()).toBe('page[0].PageBuddy0');
    await p.context().close();
  });
});
