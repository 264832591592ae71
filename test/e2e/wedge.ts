import type { Page } from 'playwright-core';
import { expect } from 'vitest';

let scans = 0;

/** The workflow screen's feedback line's number: it grows with every answer the session gives. */
export const feedbackSeq = async (page: Page): Promise<string> => (await page.getByTestId('workflow-feedback').getAttribute('data-seq')) ?? '';

/** Types a code as a keyboard-wedge scanner does: its keys 2–10 ms apart (a pace for each scan), then Enter, focus outside any text field. */
export async function typeAsScanner(page: Page, code: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.type(code, { delay: 2 + ((scans++ * 3) % 9) });
  await page.keyboard.press('Enter');
}

/**
 * A scan on a workflow screen, by keyboard wedge, until the session answers it. A machine this
 * busy can stall the page longer than a scanner's pause between keys: the burst's start is then
 * taken for typing (what is left reads as an unknown barcode) or its end is (and no scan
 * arrives). The worker scans again, as here.
 */
export async function wedge(page: Page, code: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const seqBefore = await feedbackSeq(page);
    await typeAsScanner(page, code);
    const answered = await expect
      .poll(() => feedbackSeq(page), { timeout: attempt < 3 ? 8000 : 15_000 })
      .not.toBe(seqBefore)
      .then(
        () => true,
        (e: unknown) => {
          if (attempt >= 3) throw e;
          return false;
        },
      );
    if (!answered) continue;
    const said = (await page.getByTestId('workflow-feedback').textContent()) ?? '';
    if (attempt < 3 && said.startsWith('Okänd streckkod') && !said.includes(`"${code}"`)) continue;
    return;
  }
}
