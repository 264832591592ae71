import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { search, SEARCH_COUNT_CAP, type SearchHit } from '../../db/stock/search';
import { tinyStore } from '../helpers';

let store: StationDb;
beforeAll(() => {
  store = tinyStore();
});
afterAll(() => store.close());

function allPages(text: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  let page = search(store, text, null, limit);
  hits.push(...page.hits);
  for (let guard = 0; page.next && guard < 10_000; guard++) {
    page = search(store, text, page.next, limit);
    hits.push(...page.hits);
  }
  return hits;
}

describe('search as you type', () => {
  it('finds articles by name regardless of case, with å, ä and ö', () => {
    const name = (store.sqlite.prepare("select name from articles where name like '%ö%' or name like '%ä%' or name like '%å%' limit 1").get() as { name: string } | undefined)?.name;
    const word = (name ?? 'Rollator').split(' ')[0]!;
    const upper = search(store, word.toLocaleUpperCase('sv-SE'));
    const lower = search(store, word.toLocaleLowerCase('sv-SE'));
    expect(upper.total).toBeGreaterThan(0);
    expect(upper.hits.map((h) => h.id)).toEqual(lower.hits.map((h) => h.id));
  });

  it('pages through every hit exactly once, whatever the page size', () => {
    fc.assert(
      fc.property(fc.constantFrom('I', 'I01', 'A1', 'BOD-H', 'BOD', 'r', 'rollator', '12', 'x'), fc.integer({ min: 1, max: 37 }), (text, limit) => {
        const paged = allPages(text, limit);
        const whole = allPages(text, 500);
        expect(paged.map((h) => `${h.kind}:${h.id}`)).toEqual(whole.map((h) => `${h.kind}:${h.id}`));
        expect(new Set(paged.map((h) => `${h.kind}:${h.id}`)).size).toBe(paged.length);
        const first = search(store, text, null, limit);
        expect(first.total).toBe(Math.min(whole.length, SEARCH_COUNT_CAP));
      }),
      { numRuns: 40 },
    );
  });

  it('treats % and _ as plain characters, not wildcards', () => {
    expect(search(store, '%').total).toBe(0);
    expect(search(store, '_').total).toBe(0);
  });
});
