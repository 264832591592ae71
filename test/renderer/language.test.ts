import './page';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import { sv } from '../../renderer/src/i18n/sv';
import { compareSwedish, sortedSwedish } from '../../renderer/src/format';
import { plural, swedishCollator, swedishSortKey } from '../../vocabulary/language';
import { DEMO_USERS } from '../../db/demo/catalogue';
import * as catalogue from '../../db/demo/catalogue';
import { tinyStore } from '../helpers';

afterEach(() => void i18n.changeLanguage('sv'));

function texts(resource: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(resource as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of texts(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Texts with a count that stands without a noun of its own ("Visar de 50 mest brådskande", "Tid: 5 min"). */
const COUNT_WITHOUT_NOUN = new Set([
  'search.countCapped',
  'rentals.more',
  'sync.attention',
  'replenishment.missingLines',
  'service.showing',
  'workorder.minutes',
  'maintenance.hoursLeft',
  'sync.left.seconds',
  'sync.left.minutes',
  'sync.left.hours',
  'workshop.hours',
  'counts.myLocations',
]);

/** Texts that are the same word in both languages: names, codes and loanwords. */
const SAME_IN_BOTH = /^(Depot Station|ISO 9999|GTIN|UDI|Status|Order|USB HID|Prefix|Text|Port|Register|OK|Normal|Code 39|Code 128|GS1-128|EAN-13|EAN-8|UPC-E|GS1 DataBar|ITF|Data Matrix|GS1 DataMatrix|PDF417|Aztec|GS1 Aztec)$/i;

describe('the station in words', () => {
  const svTexts = texts(sv);
  const enTexts = texts(en);

  it('says one of a thing in the singular, in Swedish and English', () => {
    const t = i18n.getFixedT('sv');
    const e = i18n.getFixedT('en');
    expect(t('counts.approve', { count: 1 })).toBe('Godkänn 1 rad och boka den');
    expect(t('counts.approve', { count: 2 })).toBe('Godkänn 2 rader och boka dem');
    expect(e('counts.approve', { count: 1 })).toBe('Approve 1 line and book it');
    expect(t('counts.approved', { count: 1, movements: 1 })).toBe('1 rad godkänd, 1 justering bokad.');
    expect(t('counts.totals', { lines: 1, value: '12', missing: 1, found: 1 })).toBe('1 avvikelse, värde 12 kr, 1 individ saknas, 1 hittad på fel plats');
    expect(t('counts.totals', { lines: 3, value: '12', missing: 2, found: 0 })).toBe('3 avvikelser, värde 12 kr, 2 individer saknas, 0 hittade på fel plats');
    expect(t('counts.reportTotal', { accuracy: '90 %', locations: 1, lines: 1, variances: 1, value: '0', missing: 1, found: 1 })).toBe(
      'Träffsäkerhet 90 %: 1 plats, 1 rad, 1 avvikelse, värde netto 0 kr, 1 saknad individ och 1 hittad individ.',
    );
    expect(t('app.idleSignedOut', { count: 1 })).toContain('efter 1 minut utan');
    expect(t('audit.idleSaved', { count: 15 })).toContain('efter 15 minuter.');
    expect(t('counts.expectedHere', { count: 1 })).toBe('Enligt systemet finns här (1 rad)');
    expect(t('search.count', { count: 1 })).toBe('1 träff');
    expect(t('service.willFail', { count: 1 })).toContain('Fel på 1 punkt:');
    expect(t('counts.done', { done: 0, total: 1 })).toBe('0 av 1 plats räknade');
    // Large counts keep the Swedish thousands separator inside the sentence.
    expect(t('audit.registerHolds', { held: 12345, waiting: 0 })).toContain('12\u00a0345 poster');
    expect(e('audit.registerHolds', { held: 12345, waiting: 0 })).toContain('12,345 entries');
  });

  it('puts every count that has a noun through the plural forms', () => {
    for (const [key, text] of svTexts) {
      if (!/\{\{\s*count\b/.test(text) || /_(one|other)$/.test(key) || COUNT_WITHOUT_NOUN.has(key)) continue;
      expect.fail(`${key} counts without plural forms: "${text}"`);
    }
  });

  it('has English for every Swedish text, plural forms included, and no Swedish in it', () => {
    expect([...enTexts.keys()].sort()).toEqual([...svTexts.keys()].sort());
    for (const [key, text] of enTexts) {
      expect(text, key).not.toMatch(/[åäöÅÄÖ]/);
      // A text without words of its own ("%", "{{name}}: {{fault}}") is the same in both.
      const words = text.replace(/\{\{[^}]*\}\}|\$t\([^)]*\)/g, '');
      if (text === svTexts.get(key) && /\p{L}{2,}/u.test(words)) expect(words.trim(), `${key} is not translated`).toMatch(SAME_IN_BOTH);
    }
  });

  it('writes the core messages with a count in the right number', () => {
    expect(plural(1, 'rad', 'rader')).toBe('1 rad');
    expect(plural(0, 'rad', 'rader')).toBe('0 rader');
    expect(plural(2, 'line', 'lines')).toBe('2 lines');
  });
});

describe('Swedish alphabetical order', () => {
  const names = [
    ...DEMO_USERS.map((u) => u.name),
    ...Object.values(catalogue).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : []))
      .flatMap((x) => (x && typeof x === 'object' ? ['name', 'municipality', 'route'].map((f) => (x as Record<string, unknown>)[f]) : []))
      .filter((x): x is string => typeof x === 'string'),
    'Älvsbyn', 'Åsele', 'Övertorneå', 'Zinkgruvan', 'zebra', 'Ärla', 'Öberg', 'Oberg', 'Éder', 'eder', 'Müller', 'Mytting', 'Anna', 'anna', 'Anna-Lena', 'Anna Lena',
    'Annalena', 'Hylla 2', 'Hylla 10', 'BOD-H-01-09-1', 'BOD H 01', 'Rollator, 4 hjul', 'Rollator 4 hjul', 'Rollator', 'Ørsta', 'Æble', 'Vårdsäng', 'Vändlakan',
  ];

  it('puts Å, Ä and Ö after Z, on screen whatever the language', async () => {
    expect(sortedSwedish(['Övertorneå', 'Älvsbyn', 'Boden', 'Åsele', 'Zinkgruvan'], (x) => x)).toEqual(['Boden', 'Zinkgruvan', 'Åsele', 'Älvsbyn', 'Övertorneå']);
    await i18n.changeLanguage('en');
    expect(['Älvsbyn', 'Arjeplog'].sort(compareSwedish)).toEqual(['Arjeplog', 'Älvsbyn']);
  });

  it('orders the database by the same rule as the screen', () => {
    const byKey = [...names].sort((a, b) => (swedishSortKey(a)! < swedishSortKey(b)! ? -1 : swedishSortKey(a)! > swedishSortKey(b)! ? 1 : 0));
    expect(byKey).toEqual([...names].sort(swedishCollator.compare));
    const store = tinyStore();
    try {
      store.sqlite.exec('create temp table words (w text)');
      const insert = store.sqlite.prepare('insert into words values (?)');
      for (const n of names) insert.run(n);
      const ordered = (store.sqlite.prepare('select w from words order by sv_order(w)').all() as { w: string }[]).map((r) => r.w);
      expect(ordered).toEqual([...names].sort(swedishCollator.compare));
      const articles = (store.sqlite.prepare('select name from articles order by sv_order(name)').all() as { name: string }[]).map((r) => r.name);
      expect(articles).toEqual([...articles].sort(swedishCollator.compare));
    } finally {
      store.close();
    }
  });
});
