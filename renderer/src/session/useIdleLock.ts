import { useEffect, useRef } from 'react';
import { call, subscribe } from '../bridge/client';

/** How long a station waits for the core's setting before it knows better. */
export const DEFAULT_IDLE_MINUTES = 15;
/** How often the station looks whether it has been left alone. */
export const IDLE_CHECK_MS = 10_000;

/** Whether a station untouched since `lastActivity` has been left alone longer than `minutes`. */
export const idleTooLong = (lastActivity: number, now: number, minutes: number): boolean => now - lastActivity > minutes * 60_000;

/**
 * A shared station locks itself: while someone is signed in, no key, touch or scan for the
 * station's idle time (the core's setting) calls `onIdle` with that time in minutes.
 */
export function useIdleLock(signedIn: boolean, onIdle: (minutes: number) => void): void {
  const handler = useRef(onIdle);
  useEffect(() => {
    handler.current = onIdle;
  });
  useEffect(() => {
    if (!signedIn) return;
    let last = Date.now();
    let minutes = DEFAULT_IDLE_MINUTES;
    call('station.idle', {}).then((r) => (minutes = r.minutes), () => undefined);
    const active = () => (last = Date.now());
    const stop = subscribe((e) => e.type === 'scan' && active());
    window.addEventListener('keydown', active);
    window.addEventListener('pointerdown', active);
    const timer = setInterval(() => {
      if (idleTooLong(last, Date.now(), minutes)) handler.current(minutes);
    }, IDLE_CHECK_MS);
    return () => {
      stop();
      window.removeEventListener('keydown', active);
      window.removeEventListener('pointerdown', active);
      clearInterval(timer);
    };
  }, [signedIn]);
}
