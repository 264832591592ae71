import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../renderer/src/scanning/wedge';

const keys = (text: string, start: number, gap: number) =>
  [...text, 'Enter'].map((key, i) => ({ key, ctrlKey: false, altKey: false, metaKey: false, at: start + i * gap }));

describe('keyboard wedge', () => {
  it('takes a fast burst ending in Enter as a scan', () => {
    const w = new WedgeDetector();
    const verdicts = keys('I0100002', 1000, 4).map((k) => w.key(k));
    expect(verdicts.at(-1)).toEqual({ action: 'scan', text: 'I0100002' });
    // Held back from the page once the burst is underway.
    expect(verdicts.slice(1, -1).every((v) => v.action === 'hold')).toBe(true);
  });

  it('leaves a person typing alone, Enter included', () => {
    const w = new WedgeDetector();
    const verdicts = keys('hello', 1000, 180).map((k) => w.key(k));
    expect(verdicts.every((v) => v.action === 'pass')).toBe(true);
  });

  it('reads GS sent as Ctrl+]', () => {
    const w = new WedgeDetector();
    const ks = keys('10AB]21CD', 0, 3).map((k) => (k.key === ']' ? { ...k, ctrlKey: true } : k));
    expect(ks.map((k) => w.key(k)).at(-1)).toEqual({ action: 'scan', text: '10AB\x1d21CD' });
  });

  it('never calls a slow typist a scanner, and never misses a fast scanner', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJ0123456789-'.split('')), minLength: 4, maxLength: 30 }), fc.integer({ min: 60, max: 400 }), fc.integer({ min: 1, max: 30 }), (text, slow, fast) => {
        const typist = new WedgeDetector();
        expect(keys(text, 0, slow).map((k) => typist.key(k)).some((v) => v.action !== 'pass')).toBe(false);
        const scanner = new WedgeDetector();
        expect(keys(text, 0, fast).map((k) => scanner.key(k)).at(-1)).toEqual({ action: 'scan', text });
      }),
    );
  });
});
