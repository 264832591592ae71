import { useEffect, useRef } from 'react';
import type { ScanEvent } from '../../../services/scanning';
import { call, subscribe } from '../bridge/client';
import { WedgeDetector, isTypingTarget } from './wedge';

/** Every scan the station receives, from any scanner, while the component is mounted. */
export function useScans(onScan: (scan: ScanEvent) => void): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => subscribe((e) => e.type === 'scan' && handler.current(e.scan)), []);
}

const submitted = new Set<(scan: ScanEvent) => void>();

/**
 * Sends a scan a screen read (a keyboard-wedge burst, a code typed in a scan field) to the
 * station. Its answer says which workflow session took it, for the screen showing that session
 * (which then need not wait for the event, e.g. while the event socket is still connecting).
 */
export function submitScan(raw: string): void {
  call('scan.submit', { raw }).then(
    (scan) => {
      for (const l of [...submitted]) l(scan);
    },
    () => undefined,
  );
}

/** The answers to the scans this page sent, while the component is mounted. */
export function useSubmittedScans(onScan: (scan: ScanEvent) => void): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    const l = (scan: ScanEvent) => handler.current(scan);
    submitted.add(l);
    return () => void submitted.delete(l);
  }, []);
}

/**
 * Listens for keyboard-wedge scanners wherever focus is not in a text field. Their scans go to the
 * station like any other (or to `onScan`, where a screen handles them itself).
 */
export function useKeyboardWedge(enabled: boolean, onScan: (text: string) => void = submitScan): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector();
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) {
        detector.reset();
        return;
      }
      const v = detector.key({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, at: e.timeStamp });
      if (v.action === 'pass') return;
      e.preventDefault();
      e.stopPropagation();
      if (v.action === 'scan') handler.current(v.text);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
