import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, easterSunday, holidays, isWorkingDay, nextWorkingDay, previousWorkingDay, weekday } from '../../vocabulary/calendar';
import { orderCutoff } from '../../db/workflows/picking';

describe('the Swedish working calendar', () => {
  it('knows Easter and the holidays that hang on it', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    const h = holidays(2026);
    expect(h.get('2026-04-03')).toBe('Långfredagen');
    expect(h.get('2026-04-06')).toBe('Annandag påsk');
    expect(h.get('2026-05-14')).toBe('Kristi himmelsfärdsdag');
    expect(h.get('2026-06-19')).toBe('Midsommarafton');
    expect(h.get('2026-06-20')).toBe('Midsommardagen');
    expect(h.get('2026-10-31')).toBe('Alla helgons dag');
    expect(holidays(2025).get('2025-11-01')).toBe('Alla helgons dag');
  });

  it('skips weekends and holidays to the working day before', () => {
    expect(previousWorkingDay('2026-11-23')).toBe('2026-11-20'); // Monday → Friday
    expect(previousWorkingDay('2026-04-07')).toBe('2026-04-02'); // the Tuesday after Easter → Maundy Thursday
    expect(previousWorkingDay('2026-12-28')).toBe('2026-12-23'); // Christmas
    expect(previousWorkingDay('2027-01-07')).toBe('2027-01-05'); // Epiphany
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-28');
    expect(isWorkingDay('2026-06-19')).toBe(false);
    expect(orderCutoff('2026-04-07').getDate()).toBe(2);
    expect(orderCutoff('2026-04-07').getHours()).toBe(11);
    expect(orderCutoff('2026-04-07').getMinutes()).toBe(30);
  });

  it('always lands on a working day strictly before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 30 }), (n) => {
        const day = addDays('2020-01-01', n);
        const before = previousWorkingDay(day);
        expect(before < day).toBe(true);
        expect(isWorkingDay(before)).toBe(true);
        expect([0, 6]).not.toContain(weekday(before));
        for (let d = addDays(before, 1); d < day; d = addDays(d, 1)) expect(isWorkingDay(d)).toBe(false);
      }),
    );
  });
});
