import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { EventHub } from '../../services/events';
import { ScanService } from '../../services/scanning';
import { queries, tinyStore } from '../helpers';

let store: StationDb;
let service: ScanService;
const published: unknown[] = [];
beforeAll(() => {
  store = tinyStore();
  const events = new EventHub();
  events.subscribe((e) => e.type === 'scan' && published.push(e));
  service = new ScanService(store, events, null, null);
});
afterAll(() => store.close());
const { one } = queries(() => store);

describe('a keyboard-wedge scan from a screen', () => {
  it('is read with the key that came alone before it when that names something, and without it when not', () => {
    const ind = one<{ n: string }>('select individual_number as n from individuals limit 1').n;
    expect(service.submitFromKeyboard(ind.slice(1), undefined, { lead: ind[0] })).toMatchObject({ raw: ind, resolution: { kind: 'individual' }, taken: true });
    expect(service.submitFromKeyboard('MD-DONE', undefined, { lead: 'C' })).toMatchObject({ resolution: { kind: 'command', command: 'done' }, taken: true });
    // A digit typed before a scan of a whole code: the code alone is what was scanned.
    expect(service.submitFromKeyboard(ind, undefined, { lead: '5' })).toMatchObject({ raw: ind, resolution: { kind: 'individual' } });
  });

  it('from a text field, is taken only when the station knows the code, and otherwise not published', () => {
    const before = published.length;
    expect(service.submitFromKeyboard('KST-4711', undefined, { ifKnown: true })).toMatchObject({ taken: false });
    expect(published.length).toBe(before);
    expect(service.submitFromKeyboard('CMD-DONE', undefined, { ifKnown: true })).toMatchObject({ taken: true, resolution: { kind: 'command' } });
    const gtin = one<{ g: string }>('select gtin as g from article_gtins limit 1').g;
    expect(service.submitFromKeyboard(gtin.slice(1), undefined, { ifKnown: true })).toMatchObject({ taken: true, resolution: { kind: 'article' } });
    expect(published.length).toBe(before + 2);
    // Not from a field: every scan is taken, known or not.
    expect(service.submitFromKeyboard('KST-4711')).toMatchObject({ taken: true, resolution: { kind: 'unknown' } });
  });
});
