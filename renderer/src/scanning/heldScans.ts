import { createContext } from 'react';
import type { ScanEvent } from '../../../services/scanning';
import { subscribe } from '../bridge/client';

/**
 * A screen's code is loaded when it is first opened. Scans that arrive while it loads are held for
 * that screen alone and handed to it once it is shown: its own scan handlers (`useScans`) hear them
 * first thing, and a workflow's screen gives the core those its session could not yet take
 * (`useSession`). Each place a screen is shown (`ScreenBoundary`) has a holder of its own, which
 * holds only while its loading line is up: a screen left before it loaded, a sign-out or another
 * user takes the holder and what it held away with it, so no scan reaches a screen or a person it
 * was not made for.
 */
export class ScanHolder {
  #scans: ScanEvent[] = [];

  /** Holds every scan that arrives until the returned function is called (the loading line goes away). */
  hold(): () => void {
    return subscribe((e) => {
      if (e.type === 'scan') this.#scans.push(e.scan);
    });
  }

  /** The scans held for the screen now shown, oldest first (a copy: every handler of the screen hears them). */
  held(): ScanEvent[] {
    return [...this.#scans];
  }

  /** The screen's handlers have heard them: nothing is handed over twice. */
  clear(): void {
    this.#scans = [];
  }
}

/** The scans held for the screen shown in `holder`'s place; none outside one. */
export const heldScans = (holder: ScanHolder | null): ScanEvent[] => holder?.held() ?? [];

/** The holder of the place the screen is shown in; null outside one. */
export const HeldScansHere = createContext<ScanHolder | null>(null);
