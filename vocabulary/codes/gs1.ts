/**
 * GS1 element strings: the application identifiers (AIs) this business meets, with fixed and
 * variable lengths, FNC1 separators (sent by scanners as ASCII GS, 0x1D), check digits and dates.
 * Pure: returns errors as data and never throws.
 */
import { err, ok, type Decoded } from './result';
import { gs1CheckDigit } from './station-codes';

export const GS = '\x1d';

interface AiDef {
  title: string;
  /** Fixed length, or the maximum for a variable-length AI. */
  length: number;
  variable: boolean;
  numeric: boolean;
  /** The last digit is a GS1 mod-10 check digit. */
  check?: boolean;
  /** YYMMDD, day 00 meaning the month as a whole. */
  date?: boolean;
}

export const AIS: Record<string, AiDef> = {
  '00': { title: 'SSCC', length: 18, variable: false, numeric: true, check: true },
  '01': { title: 'GTIN', length: 14, variable: false, numeric: true, check: true },
  '02': { title: 'CONTENT', length: 14, variable: false, numeric: true, check: true },
  '10': { title: 'BATCH/LOT', length: 20, variable: true, numeric: false },
  '11': { title: 'PROD DATE', length: 6, variable: false, numeric: true, date: true },
  '17': { title: 'USE BY OR EXPIRY', length: 6, variable: false, numeric: true, date: true },
  '21': { title: 'SERIAL', length: 20, variable: true, numeric: false },
  '30': { title: 'VAR. COUNT', length: 8, variable: true, numeric: true },
  '37': { title: 'COUNT', length: 8, variable: true, numeric: true },
  '240': { title: 'ADDITIONAL ID', length: 30, variable: true, numeric: false },
  '250': { title: 'SECONDARY SERIAL', length: 30, variable: true, numeric: false },
  '400': { title: 'ORDER NUMBER', length: 30, variable: true, numeric: false },
  '414': { title: 'LOC No.', length: 13, variable: false, numeric: true, check: true },
  '254': { title: 'GLN EXTENSION COMPONENT', length: 20, variable: true, numeric: false },
  '7020': { title: 'REFURB LOT', length: 20, variable: true, numeric: false },
  '7021': { title: 'FUNC STAT', length: 20, variable: true, numeric: false },
  '8004': { title: 'GIAI', length: 30, variable: true, numeric: false },
};

/** GS1 character set 82, the characters allowed in alphanumeric AIs. */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Data {
  elements: Gs1Element[];
  /** Each AI mapped to its value. */
  ai: Record<string, string>;
}

function findAi(s: string, at: number): string | null {
  for (const n of [2, 3, 4]) {
    const candidate = s.slice(at, at + n);
    if (candidate.length === n && Object.hasOwn(AIS, candidate)) return candidate;
  }
  return null;
}

const daysIn = (yy: number, mm: number) => new Date(Date.UTC(2000 + yy, mm, 0)).getUTCDate();

export function isValidGs1Date(v: string): boolean {
  if (!/^\d{6}$/.test(v)) return false;
  const yy = Number(v.slice(0, 2));
  const mm = Number(v.slice(2, 4));
  const dd = Number(v.slice(4, 6));
  return mm >= 1 && mm <= 12 && dd <= daysIn(yy, mm);
}

function checkValue(ai: string, def: AiDef, value: string, at: number): Decoded<null> | null {
  if (value.length === 0)
    return err('gs1.empty_value', `AI (${ai}) saknar värde.`, `AI (${ai}) has no value.`, at);
  if (def.numeric ? !/^\d+$/.test(value) : !CSET82.test(value))
    return err(
      'gs1.bad_character',
      `AI (${ai}) innehåller otillåtna tecken. Skanna om koden.`,
      `AI (${ai}) holds characters it may not. Scan the code again.`,
      at,
    );
  if (def.check && gs1CheckDigit(value.slice(0, -1)) !== Number(value.at(-1)))
    return err(
      'gs1.check_digit',
      `Kontrollsiffran i (${ai}) ${value} stämmer inte. Koden är felläst eller felaktigt tryckt.`,
      `The check digit of (${ai}) ${value} is wrong. The code was misread or misprinted.`,
      at,
    );
  if (def.date && !isValidGs1Date(value))
    return err('gs1.bad_date', `Datumet i (${ai}) ${value} finns inte.`, `The date in (${ai}) ${value} does not exist.`, at);
  return null;
}

/** Parses the bracketed form people type, e.g. `(01)07350000000007(10)ABC`. */
function fromBrackets(s: string): Decoded<Gs1Element[]> {
  const elements: Gs1Element[] = [];
  const re = /\((\d{2,4})\)([^(]*)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(s))) {
    elements.push({ ai: m[1]!, value: m[2]! });
    last = re.lastIndex;
  }
  if (last !== s.length || elements.length === 0)
    return err('gs1.malformed', 'GS1-koden kunde inte läsas. Skanna om.', 'The GS1 code could not be read. Scan it again.', last);
  return ok(elements);
}

/** Splits an element string (FNC1 as GS) into AIs and values. */
function fromElementString(s: string): Decoded<Gs1Element[]> {
  const elements: Gs1Element[] = [];
  let at = 0;
  while (at < s.length) {
    if (s[at] === GS) {
      at++;
      continue;
    }
    const ai = findAi(s, at);
    if (!ai)
      return err(
        'gs1.unknown_ai',
        `Okänd GS1-identifierare vid tecken ${at + 1}. Koden används inte här.`,
        `Unknown GS1 application identifier at character ${at + 1}. This code is not used here.`,
        at,
      );
    const def = AIS[ai]!;
    const start = at + ai.length;
    let value: string;
    if (def.variable) {
      const end = s.indexOf(GS, start);
      value = s.slice(start, end < 0 ? s.length : end);
      if (value.length > def.length)
        return err(
          'gs1.too_long',
          `(${ai}) är längre än ${def.length} tecken; en avgränsare saknas troligen.`,
          `(${ai}) is longer than ${def.length} characters; a separator is probably missing.`,
          start,
        );
      at = start + value.length;
    } else {
      value = s.slice(start, start + def.length);
      if (value.length < def.length || value.includes(GS))
        return err('gs1.too_short', `(${ai}) ska ha ${def.length} tecken.`, `(${ai}) must have ${def.length} characters.`, start);
      at = start + def.length;
    }
    elements.push({ ai, value });
  }
  return ok(elements);
}

/** Parses GS1 data: an element string with GS separators, or the bracketed form. */
export function parseGs1(input: string): Decoded<Gs1Data> {
  const split = input.startsWith('(') ? fromBrackets(input) : fromElementString(input);
  if (!split.ok) return split;
  const ai: Record<string, string> = {};
  for (const e of split.value) {
    const def = AIS[e.ai];
    if (!def)
      return err('gs1.unknown_ai', `Okänd GS1-identifierare (${e.ai}).`, `Unknown GS1 application identifier (${e.ai}).`);
    if (!def.variable && e.value.length !== def.length)
      return err('gs1.too_short', `(${e.ai}) ska ha ${def.length} tecken.`, `(${e.ai}) must have ${def.length} characters.`);
    if (def.variable && e.value.length > def.length)
      return err('gs1.too_long', `(${e.ai}) är längre än ${def.length} tecken.`, `(${e.ai}) is longer than ${def.length} characters.`);
    const bad = checkValue(e.ai, def, e.value, 0);
    if (bad && !bad.ok) return bad;
    if (Object.hasOwn(ai, e.ai) && ai[e.ai] !== e.value)
      return err('gs1.conflict', `(${e.ai}) förekommer två gånger med olika värden.`, `(${e.ai}) appears twice with different values.`);
    ai[e.ai] = e.value;
  }
  if (ai['254'] !== undefined && ai['414'] === undefined)
    return err('gs1.requires', '(254) får bara förekomma tillsammans med (414).', '(254) may only appear together with (414).');
  if (split.value.length === 0) return err('gs1.empty', 'Koden är tom.', 'The code is empty.');
  return ok({ elements: split.value, ai });
}

/** Builds an element string: FNC1 (GS) after every variable-length value but the last. */
export function formatGs1(elements: readonly Gs1Element[]): string {
  return elements.map((e, i) => e.ai + e.value + (AIS[e.ai]?.variable && i < elements.length - 1 ? GS : '')).join('');
}

/**
 * A GS1 date as an ISO date. The century follows the GS1 rule (within 49 years back or 50 ahead
 * of today); day 00 means the month: the last day for an expiry date, the first otherwise.
 */
export function gs1DateToIso(yymmdd: string, kind: 'expiry' | 'other', today = new Date()): string {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  let dd = Number(yymmdd.slice(4, 6));
  const current = today.getUTCFullYear();
  const diff = yy - (current % 100);
  const century = Math.floor(current / 100) * 100 + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  const year = century + yy;
  if (dd === 0) dd = kind === 'expiry' ? new Date(Date.UTC(year, mm, 0)).getUTCDate() : 1;
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}
