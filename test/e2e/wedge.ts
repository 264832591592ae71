import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

let scans = 0;
const sessions = new WeakMap<Page, CDPSession>();

/** The workflow screen's feedback line's number: it grows with every answer the session gives. */
export const feedbackSeq = async (page: Page): Promise<string> => (await page.getByTestId('workflow-feedback').getAttribute('data-seq')) ?? '';

/**
 * Keys as a keyboard-wedge scanner sends them, into whatever has focus: each key stamped with the
 * time the scanner sent it (2–10 ms apart, a pace for each scan), then Enter. The operating system
 * stamps a real scanner's keys as they arrive, so a page that is busy when they do still sees the
 * scanner's pace; these keys carry their stamps the same way (the DevTools protocol's `timestamp`),
 * however late a loaded machine delivers them. Some scanners send the first key late
 * (`firstKeyLateMs`): to a page, that key looks typed and the rest a burst.
 */
export async function scanKeys(page: Page, code: string, { firstKeyLateMs = 0 } = {}): Promise<void> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  const pace = (2 + ((scans++ * 3) % 9)) / 1000;
  const start = Date.now() / 1000;
  const keys = [...code].map((ch) => ({ key: ch, text: ch, unmodifiedText: ch }));
  keys.push({ key: 'Enter', text: '\r', unmodifiedText: '\r' });
  for (const [i, k] of keys.entries()) {
    const at = start + i * pace + (i > 0 ? firstKeyLateMs / 1000 : 0);
    const enter = k.key === 'Enter' ? { code: 'Enter', windowsVirtualKeyCode: 13 } : {};
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, ...enter, timestamp: at });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, ...enter, timestamp: at + pace / 2 });
  }
}

/** A scan by keyboard wedge with focus outside any text field. */
export async function typeAsScanner(page: Page, code: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await scanKeys(page, code);
}

/** A scan on a workflow screen, by keyboard wedge, and the session's answer to it. */
export async function wedge(page: Page, code: string): Promise<void> {
  const before = await feedbackSeq(page);
  await typeAsScanner(page, code);
  await expect.poll(() => feedbackSeq(page)).not.toBe(before);
}
