import './page';
import { describe, expect, it } from 'vitest';
import type { ScanEvent } from '../../services/scanning';
import { toScan } from '../../vocabulary/codes/scan';
import i18n from '../../renderer/src/i18n';
import { scanReaction } from '../../renderer/src/scanning/scanReaction';

/** A scan as the screens receive it: read by the station's decoder, resolved as given. */
function event(raw: string, resolution: ScanEvent['resolution']): ScanEvent {
  const { decoded, ...scan } = toScan(raw, 'keyboard', 'keyboard', 1_700_000_000_000);
  return { ...scan, resolution: decoded.ok ? resolution : null, error: decoded.ok ? null : decoded.error };
}

const sv = i18n.getFixedT('sv');
const en = i18n.getFixedT('en');

describe('what a scan does away from a workflow', () => {
  it('opens the screen of the workflow that took the scan, and never the thing it named', () => {
    const taken = { ...event('A000123', { kind: 'individual', id: 'i1', individualNumber: 'A000123', articleId: 'a1', articleName: 'Rollator', status: 'in_stock' as never, locationCode: 'A-01' }), workflow: 'putaway' as const };
    expect(scanReaction(taken, sv, 'sv')).toEqual({ tone: 'ok', toast: 'info', text: 'Inlagring', open: '#/putaway' });
    const card = { ...event('CMD-RECEIPT', { kind: 'command', command: 'open-receipt' }), workflow: 'receipt' as const };
    expect(scanReaction(card, en, 'en')?.open).toBe('#/receive');
  });

  it('opens a scanned individual, article or location and says what it was', () => {
    expect(scanReaction(event('A000123', { kind: 'individual', id: 'i1', individualNumber: 'A000123', articleId: 'a1', articleName: 'Rollator', status: 'in_stock' as never, locationCode: 'A-01' }), sv, 'sv')).toEqual({
      tone: 'ok',
      toast: 'ok',
      text: 'Individ A000123',
      open: '#/individual/i1',
    });
    expect(scanReaction(event('123456', { kind: 'article', id: 'a1', articleNumber: '123456', name: 'Rollator', rentable: true, details: {} as never }), en, 'en')).toEqual({
      tone: 'ok',
      toast: 'ok',
      text: 'Article 123456',
      open: '#/article/a1',
    });
    expect(scanReaction(event('A-01-02', { kind: 'location', id: 'l/1', code: 'A-01-02', name: 'A-01-02', siteName: 'Centralförrådet' }), sv, 'sv')?.open).toBe('#/location/l%2F1');
  });

  it('sounds the error tone and shows the words the station gives for a code it does not know', () => {
    const message = { sv: 'Okänd streckkod "X-1".', en: 'Unknown barcode "X-1".' };
    expect(scanReaction(event('X-1', { kind: 'unknown', text: 'X-1', message }), en, 'en')).toEqual({ tone: 'error', toast: 'error', text: 'Unknown barcode "X-1".', open: null });
    expect(scanReaction(event('X-1', { kind: 'unknown', text: 'X-1', message }), sv, 'sv')?.text).toBe('Okänd streckkod "X-1".');
  });

  it('says why an unreadable scan could not be read, in the language on screen', () => {
    const r = scanReaction(event('AB\x07CD', null), sv, 'sv');
    expect(r?.tone).toBe('error');
    expect(r?.toast).toBe('error');
    expect(r?.text).toContain('oläsbara tecken');
    expect(r?.open).toBeNull();
  });

  it('names a badge without signing anyone in or out', () => {
    expect(scanReaction(event('U1234', { kind: 'user', id: 'u1', name: 'Kim Berg', role: 'warehouse_worker' }), sv, 'sv')).toEqual({ tone: 'ok', toast: 'info', text: 'Passerbricka: Kim Berg', open: null });
  });

  it('says an order, a pallet or a command belongs in a workflow, and stays', () => {
    expect(scanReaction(event('KO-0000001', { kind: 'order', ref: 'KO-0000001' }), sv, 'sv')).toEqual({
      tone: 'ok',
      toast: 'info',
      text: 'Order KO-0000001 skannades; det används i ett arbetsflöde, inte här.',
      open: null,
    });
    expect(scanReaction(event('003456789012345675', { kind: 'pallet', sscc: '003456789012345675' }), en, 'en')?.text).toContain('003456789012345675');
    expect(scanReaction(event('CMD-UNDO', { kind: 'command', command: 'undo' }), en, 'en')?.open).toBeNull();
  });

  it('does nothing with a scan the station read but could not place', () => {
    expect(scanReaction(event('NO-SUCH', null), sv, 'sv')).toBeNull();
  });
});
