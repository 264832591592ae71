import { createContext } from 'react';
import type { ScanEvent } from '../../../services/scanning';
import { subscribe } from '../bridge/client';

/**
 * A screen's code is loaded when it is first opened. Scans that arrive while it loads are held
 * here and handed to the screen once it is shown: its own scan handlers (`useScans`) hear them
 * first thing, and a workflow's screen gives the core those its session could not yet take
 * (`useSession`). Nothing a scanner sends while a screen loads is lost.
 */
let loading = 0;
let stop: (() => void) | null = null;
let held: ScanEvent[] = [];

/** Loads a screen's code, holding every scan that arrives meanwhile. */
export function holdScansWhile<T>(load: () => Promise<T>): Promise<T> {
  loading += 1;
  stop ??= subscribe((e) => {
    if (e.type === 'scan') held.push(e.scan);
  });
  const done = () => {
    loading -= 1;
  };
  return load().then(
    (v) => (done(), v),
    (e: unknown) => {
      done();
      throw e;
    },
  );
}

/** The scans held while the screen now shown was loading (a copy: every handler of the screen hears them). */
export const heldScans = (): ScanEvent[] => [...held];

/** The screen is shown and its handlers have heard what was held: nothing more is held unless another screen still loads. */
export function releaseHeldScans(): void {
  held = [];
  if (loading === 0 && stop) {
    stop();
    stop = null;
  }
}

/** True inside a screen that may have been loaded on demand: its scan handlers hear the held scans first. */
export const HeldScansHere = createContext(false);
