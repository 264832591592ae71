import { useContext, useEffect, useRef } from 'react';
import type { CallOutput } from '../../../api/contract';
import type { ScanEvent } from '../../../services/scanning';
import { call, subscribe } from '../bridge/client';
import { HeldScansHere, heldScans } from './heldScans';
import { WedgeDetector, isScanField, isTypingTarget } from './wedge';

/**
 * Every scan the station receives, from any scanner, while the component is mounted; on a screen
 * loaded on demand, first those that arrived while it was loading.
 */
export function useScans(onScan: (scan: ScanEvent) => void): void {
  const handler = useRef(onScan);
  const held = useContext(HeldScansHere);
  // Heard once, even where effects run twice (React's strict mode in development).
  const heardHeld = useRef(false);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    if (!heardHeld.current) for (const scan of heldScans(held)) handler.current(scan);
    heardHeld.current = true;
    return subscribe((e) => e.type === 'scan' && handler.current(e.scan));
  }, [held]);
}

/** A scan this page sent, as the station answered it: with the session's new state when a workflow session took it. */
export type SubmittedScan = CallOutput<'scan.submit'>;

const submitted = new Set<(scan: SubmittedScan) => void>();

/** Sent on `window` just before a screen sends a scan: a field with a typed value not yet sent sends it first. */
export const BEFORE_SCAN = 'depot:before-scan';

/** How a screen sends a scan it read: `lead`, a key just before a burst that may be its first; `ifKnown`, only a code the station knows. */
export interface SendScan {
  lead?: string | null;
  ifKnown?: boolean;
}

/**
 * Sends a scan a screen read (a keyboard-wedge burst, a code typed in a scan field) to the
 * station. Its answer says which workflow session took it, for the screen showing that session
 * (which then need not wait for the event, e.g. while the event socket is still connecting), and
 * whether the station took it at all (`ifKnown`: not a code it knows).
 */
export function sendScan(raw: string, { lead = null, ifKnown = false }: SendScan = {}): Promise<SubmittedScan | null> {
  window.dispatchEvent(new Event(BEFORE_SCAN));
  // The answer is for the screens shown when the scan was sent and still shown: a screen opened
  // meanwhile (the worker moved on before the answer came) is not led back by it.
  const sentFrom = [...submitted];
  return call('scan.submit', { raw, ...(lead ? { lead } : {}), ...(ifKnown ? { ifKnown } : {}) }).then(
    (scan) => {
      if (scan.taken) for (const l of sentFrom) if (submitted.has(l)) l(scan);
      return scan;
    },
    () => null,
  );
}

/** Sends a scan; see `sendScan`. */
export function submitScan(raw: string): void {
  void sendScan(raw);
}

/** What the wedge knows of a burst beside its text. */
export interface WedgeScan {
  /** The key that came alone a little before the burst: perhaps the scan's first (a scanner that sends it late). */
  lead: string | null;
  /**
   * The burst came into a text field, which it left as it was: this puts it there after all (when
   * the station knows no such code, it was something to type, e.g. a cost centre's barcode). Null
   * in a number field, which takes typed digits only, and outside fields.
   */
  orType: (() => void) | null;
  /** The station read the scan without `lead`: this gives the field back the key it typed (null outside fields). */
  notLead: (() => void) | null;
}

/** A badge's code from a burst, with the key before it when that makes it one (a scanner that sends its first key late). */
export const badgeOf = (text: string, lead: string | null): string => (lead && /^U\d{4,6}$/i.test(lead + text) ? lead + text : text);

/** The wedge's scans go to the station, and a burst in a text field that names nothing the station knows stays in the field. */
export function submitWedgeScan(text: string, how: WedgeScan): void {
  void sendScan(text, { lead: how.lead, ifKnown: how.orType !== null }).then((r) => settleWedgeScan(r, text, how));
}

/** What a field does after the station's answer to a burst that came into it: the burst typed after all, or the key before it given back. */
export function settleWedgeScan(r: { raw: string; taken: boolean } | null, text: string, how: WedgeScan): void {
  if (!r) return;
  if (!r.taken) return how.orType?.();
  if (how.lead && r.raw === text) how.notLead?.();
}

/** The answers to the scans this page sent while the component was mounted, as long as it still is. */
export function useSubmittedScans(onScan: (scan: SubmittedScan) => void): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    const l = (scan: SubmittedScan) => handler.current(scan);
    submitted.add(l);
    return () => void submitted.delete(l);
  }, []);
}

/** A field whose text a scan can land in by mistake (never a PIN's). */
function textField(el: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | null {
  if (el instanceof HTMLTextAreaElement) return el;
  return el instanceof HTMLInputElement && el.type !== 'password' ? el : null;
}

/** A field for a number (a quantity): it takes typed digits only, never a scanner's. */
const numberField = (field: HTMLInputElement | HTMLTextAreaElement): boolean => field instanceof HTMLInputElement && (field.type === 'number' || field.inputMode === 'numeric');

/** Puts a field's text back as it was, so that the screen (React) hears of it as of any change. */
function putBack(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (field.value === value) return;
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')?.set;
  if (!setter) return;
  setter.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** A burst under way in a text field: its text before the burst (and before a late first key), and what the keys typed before they were held. */
interface FieldBurst {
  field: HTMLInputElement | HTMLTextAreaElement;
  base: string;
  lead: string | null;
}

/**
 * Listens for keyboard-wedge scanners. Outside text fields their bursts are held back and go to
 * the station like any other scan (or to `onScan`, where a screen handles them itself). In a text
 * field (a quantity, an order number), every key reaches the field as typed; a burst as fast as a
 * scanner's that ends with Enter is a scan, and the field gets its text back as it was before the
 * burst (and before a first key that came late). A number field never keeps a burst; a text
 * field does when the station knows no such code (`WedgeScan.orType`). A command card is always a
 * command. Fields made for codes (`data-scan-field`) and PINs are left alone.
 */
export function useKeyboardWedge(enabled: boolean, onScan: (text: string, how: WedgeScan) => void = submitWedgeScan): void {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector();
    const inField = new WedgeDetector();
    let burst: FieldBurst | null = null;
    // The field's text before the key before this one: where a late first key began.
    let beforeLast: { field: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
    const onKey = (e: KeyboardEvent) => {
      const key = { key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, at: e.timeStamp };
      // A field for codes takes the whole code itself, and a PIN's keys are nobody else's.
      const ownKeys = isScanField(e.target) || (e.target instanceof HTMLInputElement && e.target.type === 'password');
      const field = isTypingTarget(e.target) && !ownKeys ? textField(e.target) : null;
      if (ownKeys || field) {
        detector.reset();
        if (!field || (burst && burst.field !== field)) {
          burst = null;
          beforeLast = null;
          inField.reset();
          if (!field) return;
        }
        const before = field.value;
        const v = inField.key(key);
        // Every key reaches the field as typed; where a burst began (before a late first key, if one came) is kept.
        if (v.action !== 'scan') {
          if (inField.pending === 1) {
            const lead = inField.lead !== null && key.key !== ']' && beforeLast?.field === field ? inField.lead : null;
            burst = { field, base: lead !== null ? beforeLast!.value : before, lead };
          }
          beforeLast = { field, value: before };
          return;
        }
        // Enter ended a burst as fast as a scanner's: it is a scan, and the field gets back what it had before it.
        e.preventDefault();
        e.stopPropagation();
        const b = burst;
        burst = null;
        beforeLast = null;
        if (!b) return handler.current(v.text, { lead: null, orType: null, notLead: null });
        const typed = field.value;
        putBack(field, b.base);
        handler.current(v.text, {
          lead: b.lead,
          // Not a code the station knows: it was something to type here after all (a number field takes typed digits only).
          orType: numberField(field) ? null : () => putBack(field, typed),
          // The key before the burst was typed, not scanned: it goes back.
          notLead: b.lead === null ? null : () => field.value === b.base && putBack(field, b.base + b.lead),
        });
        return;
      }
      // Outside text fields (a list such as the route's included): a burst is held back and is a scan.
      inField.reset();
      burst = null;
      beforeLast = null;
      const v = detector.key(key);
      if (v.action === 'pass') return;
      e.preventDefault();
      e.stopPropagation();
      if (v.action === 'scan') handler.current(v.text, { lead: v.lead ?? null, orType: null, notLead: null });
    };
    // Focus moved (a click, Tab): what was typed before belongs to another field, or another moment.
    const onFocus = () => {
      inField.reset();
      burst = null;
      beforeLast = null;
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('focusin', onFocus, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('focusin', onFocus, true);
    };
  }, [enabled]);
}
