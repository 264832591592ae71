import { useEffect, useRef } from 'react';
import type { ScanEvent } from '../../../services/scanning';
import { call, subscribe } from '../bridge/client';
import { WedgeDetector, isScanField, isTypingTarget } from './wedge';

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

/** A field whose text a scan can land in by mistake (never a PIN's). */
function textField(el: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | null {
  if (el instanceof HTMLTextAreaElement) return el;
  return el instanceof HTMLInputElement && el.type !== 'password' ? el : null;
}

/** Puts a field's text back as it was, so that the screen (React) hears of it as of any change. */
function putBack(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')?.set;
  if (!setter) return;
  setter.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens for keyboard-wedge scanners. Outside text fields their bursts are held back and go to
 * the station like any other scan (or to `onScan`, where a screen handles them itself). In a text
 * field (a quantity, an order number), typing is left alone; a burst that ends with Enter is a
 * scan that landed there by mistake: the field gets its text back and the scan goes where scans go.
 */
export function useKeyboardWedge(enabled: boolean, onScan: (text: string) => void = submitScan): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector();
    const inField = new WedgeDetector();
    let before: { field: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
    const onKey = (e: KeyboardEvent) => {
      const key = { key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, at: e.timeStamp };
      if (isTypingTarget(e.target)) {
        detector.reset();
        const field = isScanField(e.target) ? null : textField(e.target);
        if (!field) return inField.reset();
        const v = inField.key(key);
        // The keys reach the field as typed; the text before a burst's first key is kept to put back.
        if (inField.pending === 1) before = { field, value: field.value };
        if (v.action !== 'scan') return;
        e.preventDefault();
        e.stopPropagation();
        if (before?.field === field) putBack(field, before.value);
        before = null;
        handler.current(v.text);
        return;
      }
      inField.reset();
      const v = detector.key(key);
      if (v.action === 'pass') return;
      e.preventDefault();
      e.stopPropagation();
      if (v.action === 'scan') handler.current(v.text);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
