import { describe, expect, it } from 'vitest';
import { describeRegressions, regressions, type BenchFigure } from '../../bench/compare';

const fig = (name: string, value: number, unit: string): BenchFigure => ({ name, value, unit, target: '' });

describe('the benchmark compares itself with the last committed run', () => {
  it('names what got more than 20 % worse, ratios first, and leaves the rest alone', () => {
    const before = [fig('scan to screen p95', 30, 'ms'), fig('ledger', 1000, 'movements/s'), fig('import ratio', 10, '×'), fig('pull size', 80, 'MiB'), fig('suggestions', 100, 'ms'), fig('large dataset generation', 10, 's')];
    const after = [fig('scan to screen p95', 45, 'ms'), fig('ledger', 700, 'movements/s'), fig('import ratio', 12.5, '×'), fig('pull size', 60, 'MiB'), fig('suggestions', 119, 'ms'), fig('large dataset generation', 99, 's'), fig('new figure', 5, 'ms')];
    const r = regressions(before, after);
    expect(r.map((x) => x.name)).toEqual(['import ratio', 'scan to screen p95', 'ledger']);
    expect(r[0]).toMatchObject({ kind: 'ratio', before: 10, after: 12.5 });
    expect(r[1]!.kind).toBe('machine-dependent');
    expect(r[2]!.worse).toBeCloseTo(1000 / 700 - 1);
    const text = describeRegressions(r);
    expect(text).toMatch(/ratio {3}import ratio: 10 → 12.5 × \(25 % worse\)/);
    expect(text).toMatch(/machine scan to screen p95: 30 → 45 ms \(50 % worse\)/);
  });

  it('takes fewer scans shown within one frame as worse, and more as no regression', () => {
    const shown = (n: number) => [fig('scans shown within one frame', n, '% of scans')];
    expect(regressions(shown(98), shown(70)).map((x) => x.name)).toEqual(['scans shown within one frame']);
    expect(regressions(shown(70), shown(98))).toEqual([]);
  });

  it('says plainly when nothing regressed, and compares nothing when the units changed', () => {
    expect(regressions([fig('a', 1, 's')], [fig('a', 5000, 'ms')])).toEqual([]);
    expect(describeRegressions([])).toMatch(/Nothing regressed by more than 20 %/);
  });
});
