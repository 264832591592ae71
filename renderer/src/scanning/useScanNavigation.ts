import { useTranslation } from 'react-i18next';
import { beep } from '../feedback';
import { currentLang } from '../i18n';
import { navigate } from '../router';
import { scanReaction, type ScanReaction } from './scanReaction';
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
    beep(r.tone);
    onToast({ kind: r.toast, text: r.text, at: scan.at, ...(r.open ? { open: r.open } : {}) });
    if (r.open) navigate(r.open);
  });
}
