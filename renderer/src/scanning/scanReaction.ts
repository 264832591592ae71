import type { TFunction } from 'i18next';
import type { ScanEvent } from '../../../services/scanning';
import type { Lang } from '../i18n';
import { href } from '../router';
import { scanTarget, screenAt } from '../screens';
import { WORKFLOW_SCREENS } from '../workflowScreens';

/** What the station does with a scan made away from a screen that takes scans itself. */
export interface ScanReaction {
  tone: 'ok' | 'error';
  toast: 'ok' | 'error' | 'info';
  text: string;
  /** The screen the scan opens, if any. */
  open: string | null;
}

/**
 * The scanner drives the app: a scan the worker's open workflow took opens that workflow's screen;
 * an individual, article or location opens wherever the worker is;
 * a badge is named; an order, a pallet or a command is said to belong in a workflow.
 */
export function scanReaction(scan: ScanEvent, t: TFunction, lang: Lang): ScanReaction | null {
  // A scan an open workflow took (or a command card that opened one): its screen shows what it did.
  if (scan.workflow) {
    const route = WORKFLOW_SCREENS[scan.workflow];
    return { tone: 'ok', toast: 'info', text: t(screenAt(route).title), open: href(route) };
  }
  if (scan.error) return { tone: 'error', toast: 'error', text: scan.error.message[lang], open: null };
  const r = scan.resolution;
  if (!r) return null;
  const notHere = (what: string): ScanReaction => ({ tone: 'ok', toast: 'info', text: t('scan.notHere', { what }), open: null });
  switch (r.kind) {
    case 'individual':
      return { tone: 'ok', toast: 'ok', text: t('scan.individual', { code: r.individualNumber }), open: scanTarget(r) };
    case 'article':
      return { tone: 'ok', toast: 'ok', text: t('scan.article', { code: r.articleNumber }), open: scanTarget(r) };
    case 'location':
      return { tone: 'ok', toast: 'ok', text: t('scan.location', { code: r.code }), open: scanTarget(r) };
    case 'unknown':
      return { tone: 'error', toast: 'error', text: r.message[lang], open: null };
    case 'user':
      return { tone: 'ok', toast: 'info', text: t('scan.user', { name: r.name }), open: null };
    case 'order':
      return notHere(t('scan.order', { ref: r.ref }));
    case 'pallet':
      return notHere(t('scan.pallet', { sscc: r.sscc }));
    case 'command':
      return notHere(t('scan.command', { command: r.command }));
  }
}
