import { useEffect, useState } from 'react';
import type { Resolution } from '../../../db/stock/resolve';

/**
 * What the last scan that opened a screen resolved to, as the core resolved it and put it in the
 * scan event. The screen it opened shows it at once, in the frame after the scan, and shows the
 * rest (history, balances) when its own load answers: the scan costs the page no second round
 * trip before the worker sees what was scanned.
 */
let last: { resolution: Resolution | null; at: number } | null = null;

/** How long a scan's resolution stands in for a screen's load: a moment, never a screen opened later. */
const FRESH_MS = 5_000;

export function rememberScanned(resolution: Resolution | null): void {
  last = { resolution, at: performance.now() };
}

/** The last scan's resolution, when it was a moment ago and named this very individual, article or location. */
export function scannedAs<K extends 'individual' | 'article' | 'location'>(kind: K, id: string): Extract<Resolution, { kind: K }> | null {
  const r = last && performance.now() - last.at < FRESH_MS ? last.resolution : null;
  return r?.kind === kind && r.id === id ? (r as Extract<Resolution, { kind: K }>) : null;
}

/**
 * Whether a screen may start its own load: at once when it shows nothing scanned, else once the
 * frame that shows the scan has been painted (or a moment later, should no frame come, in a window
 * out of sight), so that starting the load costs the scan's frame nothing.
 */
export function useLoadAfterShown(shown: boolean, key: string): boolean {
  const [painted, setPainted] = useState<string | null>(null);
  useEffect(() => {
    if (!shown) return;
    const go = () => setPainted(key);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(go)));
    const fallback = setTimeout(go, 100);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      clearTimeout(fallback);
    };
  }, [shown, key]);
  return !shown || painted === key;
}
