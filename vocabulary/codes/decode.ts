/**
 * From what a scanner sent to what it means: AIM identifier, then GS1 element strings, HIBC,
 * the station's own codes (individuals, articles, locations, badges, commands, orders), plain
 * GTINs and SSCCs, or plain text such as a manufacturer's serial number. Pure; never throws.
 */
import { parseAim, type Symbology } from './aim';
import { GS, parseGs1, type Gs1Element } from './gs1';
import { parseHibc, type HibcData } from './hibc';
import { err, ok, type Decoded } from './result';
import { isValidSscc } from './sscc';
import { ARTICLE_NUMBER, INDIVIDUAL_NUMBER, LOCATION_CODE, isValidGtin, toGtin14 } from './station-codes';

/** The steps' commands, and a card for each scanning workflow that opens it (`open-…`). */
export const COMMANDS = ['confirm', 'cancel', 'undo', 'done', 'open-receipt', 'open-putaway', 'open-move', 'open-pick', 'open-return', 'open-move-all', 'open-pallet', 'open-pallet-receipt', 'open-restock', 'open-service'] as const;
export type Command = (typeof COMMANDS)[number];

/** The barcode printed on the station's command card for each command. */
export const COMMAND_CODES: Record<Command, string> = {
  confirm: 'CMD-CONFIRM',
  cancel: 'CMD-CANCEL',
  undo: 'CMD-UNDO',
  done: 'CMD-DONE',
  'open-receipt': 'CMD-RECEIPT',
  'open-putaway': 'CMD-PUTAWAY',
  'open-move': 'CMD-MOVE',
  'open-pick': 'CMD-PICK',
  'open-return': 'CMD-RETURN',
  'open-move-all': 'CMD-MOVE-ALL',
  'open-pallet': 'CMD-PALLET',
  'open-pallet-receipt': 'CMD-PALLET-RECEIPT',
  'open-restock': 'CMD-RESTOCK',
  'open-service': 'CMD-SERVICE',
};

export const BADGE_CODE = /^U\d{4,6}$/;
/** Customer orders (KO), pick-up orders (HO) and purchase orders (IO). */
export const ORDER_REF = /^(KO|HO|IO)-\d{7}$/;

export type ScanContent =
  | { kind: 'gs1'; ai: Record<string, string>; elements: Gs1Element[] }
  | { kind: 'hibc'; hibc: HibcData }
  | { kind: 'gtin'; gtin: string }
  | { kind: 'sscc'; sscc: string }
  | { kind: 'individual'; number: string }
  | { kind: 'article'; number: string }
  | { kind: 'location'; code: string }
  | { kind: 'badge'; code: string }
  | { kind: 'command'; command: Command }
  | { kind: 'order'; ref: string }
  | { kind: 'text'; text: string };

export interface DecodedScan {
  aim: string | null;
  symbology: Symbology;
  /** A readable form: GS1 in brackets, everything else as sent (without the AIM identifier). */
  text: string;
  content: ScanContent;
}

const looksLikeBracketedGs1 = (s: string) => /^\(\d{2,4}\)/.test(s);

function decodeUnsafe(raw: string): Decoded<DecodedScan> {
  const trimmed = raw.replace(/[\r\n]+$/, '').replace(/^[\r\n]+/, '');
  if (trimmed.trim() === '') return err('scan.empty', 'Skanningen var tom. Skanna igen.', 'The scan was empty. Scan again.');
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001c\u001e-\u001f\u007f]/.exec(trimmed);
  if (control)
    return err(
      'scan.garbage',
      'Skannern skickade oläsbara tecken. Kontrollera skannerns inställningar och skanna igen.',
      'The scanner sent unreadable characters. Check its settings and scan again.',
      control.index,
    );
  const { aim, symbology, gs1, data } = parseAim(trimmed);
  const result = (text: string, content: ScanContent): Decoded<DecodedScan> => ok({ aim, symbology, text, content });

  if (gs1 || data.startsWith(GS) || looksLikeBracketedGs1(data)) {
    const parsed = parseGs1(data.startsWith(GS) ? data.slice(1) : data);
    if (!parsed.ok) return parsed;
    const text = parsed.value.elements.map((e) => `(${e.ai})${e.value}`).join('');
    return result(text, { kind: 'gs1', ai: parsed.value.ai, elements: parsed.value.elements });
  }
  const text = data.trim();
  if (text.startsWith('+')) {
    const hibc = parseHibc(text);
    if (!hibc.ok) return hibc;
    return result(text, { kind: 'hibc', hibc: hibc.value });
  }
  const code = text.toLocaleUpperCase('sv-SE');
  const command = COMMANDS.find((c) => COMMAND_CODES[c] === code);
  if (command) return result(code, { kind: 'command', command });
  if (INDIVIDUAL_NUMBER.test(code)) return result(code, { kind: 'individual', number: code });
  if (ARTICLE_NUMBER.test(code)) return result(code, { kind: 'article', number: code });
  if (BADGE_CODE.test(code)) return result(code, { kind: 'badge', code });
  if (ORDER_REF.test(code)) return result(code, { kind: 'order', ref: code });
  if (/^\d+$/.test(code)) {
    if ([8, 12, 13, 14].includes(code.length)) {
      if (isValidGtin(code)) return result(code, { kind: 'gtin', gtin: toGtin14(code) });
      if (symbology === 'ean13' || symbology === 'ean8')
        return err('scan.check_digit', 'Streckkodens kontrollsiffra stämmer inte. Skanna igen.', "The barcode's check digit is wrong. Scan again.");
    }
    if (code.length === 18 && isValidSscc(code)) return result(code, { kind: 'sscc', sscc: code });
    // A GS1-128 pallet label read by a scanner that sends no symbology identifier: AI 00 and the SSCC.
    if (code.length === 20 && code.startsWith('00') && isValidSscc(code.slice(2))) return result(code, { kind: 'sscc', sscc: code.slice(2) });
  }
  if (LOCATION_CODE.test(code)) return result(code, { kind: 'location', code });
  return result(text, { kind: 'text', text });
}

/** Decodes one scan. Whatever arrives, the answer is a value or a typed error. */
export function decodeScan(raw: string): Decoded<DecodedScan> {
  try {
    return decodeUnsafe(raw);
  } catch (e) {
    return err('scan.internal', 'Skanningen kunde inte tolkas. Skanna igen.', `The scan could not be interpreted (${(e as Error).message}). Scan again.`);
  }
}
