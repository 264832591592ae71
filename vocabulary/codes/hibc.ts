/**
 * HIBC (Health Industry Bar Code): primary data (labeler, product, unit of measure), secondary
 * data (lot or serial, expiry, quantity), alone or concatenated with `/`, and the mod-43 check
 * character. Pure: errors are data.
 */
import { err, ok, type Decoded } from './result';

const CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/** The mod-43 check character over everything before it, `+` included. */
export function hibcCheckChar(s: string): string | null {
  let sum = 0;
  for (const c of s) {
    const v = CHARSET.indexOf(c);
    if (v < 0) return null;
    sum += v;
  }
  return CHARSET[sum % 43]!;
}

export interface HibcData {
  /** Labeler identification code (4 characters). */
  lic?: string;
  /** Product or catalogue number. */
  pcn?: string;
  unitOfMeasure?: number;
  lot?: string;
  serial?: string;
  /** ISO date. */
  expiry?: string;
  quantity?: number;
  /** The link character tying a separate secondary symbol to its primary. */
  link?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const julian = (y: number, jjj: number) => {
  const d = new Date(Date.UTC(y, 0, jjj));
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};

const badSecondary = () => err('hibc.bad_secondary', 'HIBC-koden har felaktig sekundärdata (batch, datum).', 'The HIBC code has malformed secondary data (lot, date).');

function parseSecondary(sec: string): Decoded<HibcData> {
  const out: HibcData = {};
  let rest: string;
  if (sec.startsWith('$$')) {
    rest = sec.slice(2);
    let serial = false;
    if (rest.startsWith('+')) {
      serial = true;
      rest = rest.slice(1);
    }
    if (rest[0] === '8' || rest[0] === '9') {
      const n = rest[0] === '8' ? 2 : 5;
      const q = rest.slice(1, 1 + n);
      if (!/^\d+$/.test(q) || q.length !== n) return badSecondary();
      out.quantity = Number(q);
      rest = rest.slice(1 + n);
    }
    const f = rest[0];
    let m: RegExpExecArray | null;
    if (f === '0' || f === '1') {
      if (!(m = /^(\d{2})(\d{2})/.exec(rest))) return badSecondary();
      const mm = Number(m[1]);
      const y = 2000 + Number(m[2]);
      if (mm < 1 || mm > 12) return badSecondary();
      out.expiry = iso(y, mm, lastDay(y, mm));
      rest = rest.slice(4);
    } else if (f === '2' || f === '3' || f === '4') {
      const len = f === '4' ? 8 : 6;
      const d = rest.slice(1, 1 + len);
      if (!/^\d+$/.test(d) || d.length !== len) return badSecondary();
      const [y, mm, dd] = f === '2' ? [Number(d.slice(4, 6)), Number(d.slice(0, 2)), Number(d.slice(2, 4))] : [Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6))];
      if (mm < 1 || mm > 12 || dd < 1 || dd > lastDay(2000 + y, mm)) return badSecondary();
      out.expiry = iso(2000 + y, mm, dd);
      rest = rest.slice(1 + len);
    } else if (f === '5' || f === '6') {
      const len = f === '6' ? 7 : 5;
      const d = rest.slice(1, 1 + len);
      if (!/^\d+$/.test(d) || d.length !== len) return badSecondary();
      const jjj = Number(d.slice(2, 5));
      if (jjj < 1 || jjj > 366) return badSecondary();
      out.expiry = julian(2000 + Number(d.slice(0, 2)), jjj);
      rest = rest.slice(1 + len);
    } else if (f === '7') {
      rest = rest.slice(1);
    } else return badSecondary();
    if (serial) out.serial = rest;
    else out.lot = rest;
  } else if (sec.startsWith('$+')) {
    out.serial = sec.slice(2);
  } else if (sec.startsWith('$')) {
    out.lot = sec.slice(1);
  } else if (/^\d{5}/.test(sec)) {
    const jjj = Number(sec.slice(2, 5));
    if (jjj < 1 || jjj > 366) return badSecondary();
    out.expiry = julian(2000 + Number(sec.slice(0, 2)), jjj);
    out.lot = sec.slice(5);
  } else return badSecondary();
  if ((out.lot !== undefined && out.lot.length > 18) || (out.serial !== undefined && out.serial.length > 18)) return badSecondary();
  return ok(out);
}

/** Parses HIBC data (starting with `+`), checking its mod-43 check character. */
export function parseHibc(raw: string): Decoded<HibcData> {
  const s = raw.replace(/^\*|\*$/g, '');
  if (!s.startsWith('+') || s.length < 3)
    return err('hibc.not_hibc', 'Koden är inte en HIBC-kod.', 'The code is not an HIBC code.');
  const body = s.slice(0, -1);
  const expected = hibcCheckChar(body);
  if (expected === null)
    return err('hibc.bad_character', 'HIBC-koden innehåller otillåtna tecken.', 'The HIBC code holds characters it may not.');
  if (expected !== s.at(-1))
    return err('hibc.check_char', 'HIBC-kodens kontrolltecken stämmer inte. Koden är felläst.', "The HIBC code's check character is wrong. It was misread.");
  const content = body.slice(1);
  const primaryRe = /^([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})(\d)$/;
  const slash = content.indexOf('/');
  if (slash >= 0) {
    const p = primaryRe.exec(content.slice(0, slash));
    if (!p) return err('hibc.bad_primary', 'HIBC-kodens primärdata är felaktig.', "The HIBC code's primary data is malformed.");
    const sec = parseSecondary(content.slice(slash + 1));
    if (!sec.ok) return sec;
    return ok({ lic: p[1]!, pcn: p[2]!, unitOfMeasure: Number(p[3]), ...sec.value });
  }
  if (content.startsWith('$') || /^\d/.test(content)) {
    const sec = parseSecondary(content.slice(0, -1));
    if (!sec.ok) return sec;
    return ok({ ...sec.value, link: content.at(-1)! });
  }
  const p = primaryRe.exec(content);
  if (!p) return err('hibc.bad_primary', 'HIBC-kodens primärdata är felaktig.', "The HIBC code's primary data is malformed.");
  return ok({ lic: p[1]!, pcn: p[2]!, unitOfMeasure: Number(p[3]) });
}
