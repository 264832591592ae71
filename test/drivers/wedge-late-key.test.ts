import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../renderer/src/scanning/wedge';

const key = (k: string, at: number) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, at });
/** A scanner's keys: the first `late` ms before the rest, which come `gap` ms apart, then Enter. */
const scan = (w: WedgeDetector, text: string, start: number, gap: number, late = 0) =>
  [...text, 'Enter'].map((k, i) => w.key(key(k, start + i * gap + (i > 0 ? late : 0))));

describe('a scanner whose first key comes late', () => {
  it('says which key came alone just before the burst, so the scan can be read with it', () => {
    const w = new WedgeDetector();
    const verdicts = scan(w, 'CMD-DONE', 1000, 4, 120);
    expect(verdicts[0]).toEqual({ action: 'pass' });
    expect(verdicts.at(-1)).toEqual({ action: 'scan', text: 'MD-DONE', lead: 'C' });
  });

  it('names no lead for a burst on its own, nor for a key long before it', () => {
    const w = new WedgeDetector();
    expect(scan(w, 'I0100002', 1000, 5).at(-1)).toEqual({ action: 'scan', text: 'I0100002' });
    w.key(key('3', 5000));
    expect(scan(w, '7350000123457', 6000, 5).at(-1)).toEqual({ action: 'scan', text: '7350000123457' });
    // Two keys typed before the burst: the last may be the scanner's; the station reads the scan both ways.
    w.key(key('4', 9000));
    w.key(key('2', 9100));
    expect(scan(w, 'I0100002', 9200, 5).at(-1)).toEqual({ action: 'scan', text: 'I0100002', lead: '2' });
  });

  it('takes keys stamped out of order (another clock) as the start of a new burst', () => {
    const w = new WedgeDetector();
    w.key(key('3', 50_000));
    expect(scan(w, 'I0100002', 1000, 5).at(-1)).toEqual({ action: 'scan', text: 'I0100002' });
  });
});
