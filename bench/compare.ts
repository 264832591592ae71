/**
 * What got worse since the last committed benchmark. Ratios to a baseline measured in the same run
 * mean the same on any machine and come first; absolute figures (times, rates, sizes) depend on the
 * machine that measured them and are marked so.
 */

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
}

export interface Regression {
  name: string;
  before: number;
  after: number;
  unit: string;
  /** How much worse, as a fraction (0.25: 25 % worse). */
  worse: number;
  /** A ratio to a baseline of the same run (comparable across machines), or an absolute figure. */
  kind: 'ratio' | 'machine-dependent';
}

/** Units where a larger figure is better: everything else (time, size, rows, ratios) is better smaller. */
const MORE_IS_BETTER = new Set(['movements/s', 'rows/s', 'scans/s', 'calls/s', 'pushes/s', '% of scans']);
/** Measures of the dataset itself or of the environment, not of the station's speed. */
const NOT_A_SPEED = /generation|integrity check verdict/;

export function regressions(before: readonly BenchFigure[], after: readonly BenchFigure[], threshold = 0.2): Regression[] {
  const old = new Map(before.map((f) => [f.name, f]));
  const out: Regression[] = [];
  for (const f of after) {
    const b = old.get(f.name);
    if (!b || b.unit !== f.unit || NOT_A_SPEED.test(f.name) || !(b.value > 0) || !(f.value >= 0)) continue;
    const worse = MORE_IS_BETTER.has(f.unit) ? b.value / Math.max(f.value, Number.EPSILON) - 1 : f.value / b.value - 1;
    if (worse > threshold) out.push({ name: f.name, before: b.value, after: f.value, unit: f.unit, worse, kind: f.unit === '×' ? 'ratio' : 'machine-dependent' });
  }
  return out.sort((a, b) => (a.kind === b.kind ? b.worse - a.worse : a.kind === 'ratio' ? -1 : 1));
}

/** The comparison as the benchmark prints it. */
export function describeRegressions(list: readonly Regression[], threshold = 0.2): string {
  if (list.length === 0) return `Nothing regressed by more than ${Math.round(threshold * 100)} % against the committed bench/results.json.`;
  const lines = list.map(
    (r) => `  ${r.kind === 'ratio' ? 'ratio  ' : 'machine'} ${r.name}: ${r.before} → ${r.after} ${r.unit} (${Math.round(r.worse * 100)} % worse)`,
  );
  return [`Regressed by more than ${Math.round(threshold * 100)} % against the committed bench/results.json (ratios first; "machine" figures depend on the machine that measured them):`, ...lines].join('\n');
}
