/**
 * The Swedish working calendar: weekends and public holidays (helgdagar), plus the eves that are
 * days off in practice (midsommarafton, julafton, nyårsafton). Days are `YYYY-MM-DD` strings in
 * local time, as delivery days are.
 */

/** Easter Sunday (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** A day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The first date from `from` to `to` (inclusive, both in one month) that falls on `dow`. */
function firstWeekdayBetween(year: number, month: number, from: number, to: number, dow: number): string {
  for (let d = from; d <= to; d++) if (weekday(iso(year, month, d)) === dow) return iso(year, month, d);
  throw new Error('no such day');
}

const cache = new Map<number, Map<string, string>>();

/** The year's days off besides weekends, with their Swedish names. */
export function holidays(year: number): Map<string, string> {
  let h = cache.get(year);
  if (h) return h;
  const easter = easterSunday(year);
  h = new Map<string, string>([
    [iso(year, 1, 1), 'Nyårsdagen'],
    [iso(year, 1, 6), 'Trettondedag jul'],
    [addDays(easter, -2), 'Långfredagen'],
    [easter, 'Påskdagen'],
    [addDays(easter, 1), 'Annandag påsk'],
    [iso(year, 5, 1), 'Första maj'],
    [addDays(easter, 39), 'Kristi himmelsfärdsdag'],
    [addDays(easter, 49), 'Pingstdagen'],
    [iso(year, 6, 6), 'Sveriges nationaldag'],
    [firstWeekdayBetween(year, 6, 19, 25, 5), 'Midsommarafton'],
    [firstWeekdayBetween(year, 6, 20, 26, 6), 'Midsommardagen'],
    [weekday(iso(year, 10, 31)) === 6 ? iso(year, 10, 31) : firstWeekdayBetween(year, 11, 1, 6, 6), 'Alla helgons dag'],
    [iso(year, 12, 24), 'Julafton'],
    [iso(year, 12, 25), 'Juldagen'],
    [iso(year, 12, 26), 'Annandag jul'],
    [iso(year, 12, 31), 'Nyårsafton'],
  ]);
  cache.set(year, h);
  return h;
}

export function isWorkingDay(day: string): boolean {
  const dow = weekday(day);
  return dow !== 0 && dow !== 6 && !holidays(Number(day.slice(0, 4))).has(day);
}

/** The working day before `day`. */
export function previousWorkingDay(day: string): string {
  let d = addDays(day, -1);
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

/** `day` itself when it is a working day, else the next one. */
export function nextWorkingDay(day: string): string {
  let d = day;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** The local date of a moment, as `YYYY-MM-DD`. */
export function localDay(ms: number): string {
  const t = new Date(ms);
  return iso(t.getFullYear(), t.getMonth() + 1, t.getDate());
}

/** The ISO 8601 week number of a day (`YYYY-MM-DD`): the week's Thursday decides its year. */
export function isoWeek(day: string): number {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  return 1 + Math.floor((d.getTime() - jan1) / 86_400_000 / 7);
}
