import './page';
import { afterEach, describe, expect, it } from 'vitest';
import i18n, { currentLang, formatDate, formatDateTime, formatNumber, localized } from '../../renderer/src/i18n';
import { kronor, percent, wholeKronor } from '../../renderer/src/format';
import { isoWeek } from '../../vocabulary/calendar';

const NBSP = '\u00a0';
const inLang = async (lang: 'sv' | 'en') => void (await i18n.changeLanguage(lang));

afterEach(() => inLang('sv'));

describe('figures in the language on screen', () => {
  it('writes numbers, dates and times the Swedish way in Swedish', async () => {
    await inLang('sv');
    expect(currentLang()).toBe('sv');
    expect(formatNumber(1234.5)).toBe(`1${NBSP}234,5`);
    const monday = new Date(2026, 0, 5, 12, 30).getTime();
    expect(formatDateTime(monday)).toBe('2026-01-05 12:30');
    expect(formatDate(monday)).toBe('5 jan. 2026');
  });

  it('writes them the British way in English', async () => {
    await inLang('en');
    expect(currentLang()).toBe('en');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    const monday = new Date(2026, 0, 5, 12, 30).getTime();
    expect(formatDateTime(monday)).toBe('05/01/2026, 12:30');
    expect(formatDate(monday)).toBe('5 Jan 2026');
  });

  it('shows the messages of the station in the language on screen', async () => {
    const m = { sv: 'Platsen finns inte.', en: 'The location does not exist.' };
    expect(localized(m)).toBe(m.sv);
    await inLang('en');
    expect(localized(m)).toBe(m.en);
  });

  it('writes shares as percentages with one decimal', async () => {
    expect(percent(0.98345)).toBe('98,3 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(0)).toBe('0 %');
    await inLang('en');
    expect(percent(0.98345)).toBe('98.3 %');
  });

  it('writes öre as whole kronor, rounded', async () => {
    expect(wholeKronor(123_456)).toBe(`1${NBSP}235`);
    expect(kronor(123_449)).toBe(`1${NBSP}234 kr`);
    expect(kronor(0)).toBe('0 kr');
    await inLang('en');
    expect(kronor(123_456)).toBe('1,235 kr');
  });
});

describe('ISO week numbers', () => {
  it('numbers the week of a day, its Thursday deciding the year', () => {
    expect(isoWeek('2025-01-06')).toBe(2);
    expect(isoWeek('2024-12-30')).toBe(1); // Thursday 2 January 2025
    expect(isoWeek('2020-12-28')).toBe(53);
    expect(isoWeek('2021-01-04')).toBe(1);
    expect(isoWeek('2025-12-29')).toBe(1); // 2026's first week starts in December
    expect(isoWeek('2026-01-05')).toBe(2);
    expect(isoWeek('2019-12-30')).toBe(1);
    expect(isoWeek('2020-01-06')).toBe(2);
    expect(isoWeek('2023-01-02')).toBe(1);
    expect(isoWeek('2023-12-25')).toBe(52);
  });

  it('gives every day of a week the number of its Monday', () => {
    for (const day of ['2026-01-05', '2026-01-07', '2026-01-11']) expect(isoWeek(day), day).toBe(2);
  });

  it('counts the weeks of a year one by one', () => {
    // Every Monday from 2015 to 2034: the number goes up by one, or starts again at 1 in a new year.
    let monday = Date.UTC(2014, 11, 29);
    let last = isoWeek('2014-12-29');
    expect(last).toBe(1);
    for (let i = 0; i < 20 * 53; i++) {
      monday += 7 * 86_400_000;
      const week = isoWeek(new Date(monday).toISOString().slice(0, 10));
      if (week !== last + 1) {
        expect(week, new Date(monday).toISOString()).toBe(1);
        expect([52, 53]).toContain(last);
      }
      last = week;
    }
  });
});
