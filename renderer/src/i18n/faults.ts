/**
 * What went wrong with a print job, in the language on screen: the queue keeps the printer's
 * fault as `fault: detail` (the detail is the operating system's words, for IT's log), and a
 * person reads the fault only.
 */
import i18n from './index';

const FAULTS = ['no_answer', 'paper_out', 'paused', 'head_open', 'ribbon_out', 'buffer_full', 'unreachable', 'connection_lost'] as const;
type Fault = (typeof FAULTS)[number];

export function printFault(lastError: string | null): string {
  if (!lastError) return '';
  const fault = lastError.split(':')[0]!.trim();
  if ((FAULTS as readonly string[]).includes(fault)) return i18n.t(`printing.faults.${fault as Fault}`);
  if (lastError === 'the station stopped while sending') return i18n.t('printing.stoppedWhileSending');
  return i18n.t('printing.otherFault');
}
