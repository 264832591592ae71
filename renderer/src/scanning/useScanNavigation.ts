import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { beep } from '../feedback';
import { currentLang } from '../i18n';
import { navigateAtOnce } from '../router';
import { scanReaction, type ScanReaction } from './scanReaction';
import { rememberScanned } from './scanned';
import { useScans } from './useScans';

export interface ScanToast {
  kind: ScanReaction['toast'];
  text: string;
  at: number;
  /** The address the scan opened, if it opened one: the toast belongs to that screen. */
  open?: string;
}

/**
 * While `active` (someone is signed in and the screen does not take scans itself), every scan is
 * answered: a tone, a toast, and for an individual, article or location, its screen.
 */
export function useScanNavigation(active: boolean, onToast: (toast: ScanToast) => void): void {
  const { t } = useTranslation();
  useScans((scan) => {
    if (!active) return;
    const r = scanReaction(scan, t, currentLang());
    if (!r) return;
    const open = r.open;
    // Shown in the frame after the scan: rendered here and now, not in a task of its own after it.
    flushSync(() => {
      onToast({ kind: r.toast, text: r.text, at: scan.at, ...(open ? { open } : {}) });
      if (!open) return;
      // The screen it opens shows what the core resolved at once, before its own load answers.
      rememberScanned(scan.resolution);
      navigateAtOnce(open);
    });
    beep(r.tone);
  });
}
