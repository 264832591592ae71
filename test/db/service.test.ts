import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DepotError } from '../../db/errors';
import { SERVICE_STATES, step, transition, type ServiceAction, type ServiceState } from '../../db/service/flow';
import { addWorkingDays, clockState, serviceClock } from '../../db/service/levels';

const at = (s: string) => new Date(s).getTime();
const iso = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

describe('service-level clocks', () => {
  it('gives acute jobs 24 hours, whatever the day', () => {
    expect(iso(serviceClock('acute', at('2026-12-24T09:15:00')).due)).toBe('2026-12-25 09:15');
  });

  it('counts urgent and normal jobs in Swedish working days: weekends, Easter, midsummer and Christmas skipped', () => {
    expect(iso(serviceClock('urgent', at('2026-11-20T10:00:00')).due)).toBe('2026-11-25 10:00'); // Friday → Wednesday
    expect(iso(serviceClock('urgent', at('2026-04-02T14:00:00')).due)).toBe('2026-04-09 14:00'); // Maundy Thursday → over Easter
    expect(iso(serviceClock('urgent', at('2026-06-18T08:00:00')).due)).toBe('2026-06-24 08:00'); // over midsummer
    expect(iso(serviceClock('urgent', at('2026-12-23T15:00:00')).due)).toBe('2026-12-30 15:00'); // over Christmas
    expect(iso(serviceClock('normal', at('2026-11-21T09:00:00')).due)).toBe('2026-11-26 00:00'); // a Saturday: from Monday
    expect(serviceClock('normal', at('2026-11-23T09:00:00')).measures).toBe('started');
  });

  it('says ok, due soon, breached or met', () => {
    const arrived = at('2026-11-23T08:00:00');
    expect(clockState('acute', arrived, at('2026-11-23T12:00:00'), {})).toBe('ok');
    expect(clockState('acute', arrived, at('2026-11-24T04:00:00'), {})).toBe('due_soon');
    expect(clockState('acute', arrived, at('2026-11-24T08:01:00'), {})).toBe('breached');
    expect(clockState('acute', arrived, at('2026-11-30T00:00:00'), { doneAt: at('2026-11-24T07:00:00') })).toBe('met');
    expect(clockState('normal', arrived, at('2026-11-30T00:00:00'), { startedAt: at('2026-11-27T09:00:00') })).toBe('breached');
  });

  it('always lands on a working day, later than it started, whatever the start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 6 * 24 }), fc.integer({ min: 1, max: 10 }), (hours, n) => {
        const start = at('2025-01-01T00:00:00') + hours * 3_600_000;
        const due = addWorkingDays(start, n);
        expect(due).toBeGreaterThan(start);
        const day = new Date(due).getDay();
        expect([0, 6]).not.toContain(day);
      }),
    );
  });
});

const action: fc.Arbitrary<ServiceAction> = fc.oneof(
  fc.constant({ kind: 'send_to_cleaning' as const }),
  fc.constant({ kind: 'clean' as const }),
  fc.boolean().map((passed) => ({ kind: 'inspect' as const, passed })),
  fc.constant({ kind: 'start_repair' as const }),
  fc.constant({ kind: 'finish_repair' as const }),
  fc.constant({ kind: 'send_to_supplier' as const }),
  fc.constant({ kind: 'back_from_supplier' as const }),
  fc.constant({ kind: 'release' as const }),
  fc.constant({ kind: 'scrap' as const }),
);

describe('the reconditioning flow', () => {
  it('follows the flow or refuses, saying what must happen first', () => {
    expect(() => step('returned', { kind: 'release' }, 'I0100001')).toThrowError(expect.objectContaining({ code: 'service.out_of_order' }));
    expect(() => step('awaiting_cleaning', { kind: 'inspect', passed: true }, 'I0100001')).toThrowError(
      expect.objectContaining({ userMessage: { sv: 'I0100001 kan inte kontrolleras nu. Den ska rengöras först.', en: 'I0100001 cannot be inspected now. It must be cleaned first.' } }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state: ServiceState = 'returned';
        const path: ServiceState[] = [state];
        for (const a of actions) {
          let next: ServiceState | null;
          try {
            next = step(state, a, 'I0100001');
          } catch (e) {
            expect(e).toBeInstanceOf(DepotError);
            expect((e as DepotError).code).toBe('service.out_of_order');
            expect(transition(state, a)).toBeNull();
            continue;
          }
          state = next;
          path.push(state);
        }
        // Nothing is ready without having been cleaned and passed inspection (or a repair) first, and nothing leaves a final state.
        const ready = path.indexOf('ready');
        if (ready >= 0) {
          expect(path[ready - 1]).toBe('inspected');
          expect(path.slice(0, ready)).toContain('cleaned');
        }
        for (const final of ['ready', 'scrapped'] as const) {
          const i = path.indexOf(final);
          if (i >= 0) expect(path.slice(i + 1)).toEqual([]);
        }
        for (const s of path) expect(SERVICE_STATES).toContain(s);
      }),
    );
  });
});
