import './page';
import { describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import { sv } from '../../renderer/src/i18n/sv';
import { INDIVIDUAL_STATUSES, PALLET_STATES, SERVICE_JOB_STATES } from '../../vocabulary/domain';

/** Every text of a resource by its key, `nav.scan` style; a list is one text per entry. */
function texts(resource: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(resource as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of texts(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

describe('the texts of the station', () => {
  const svTexts = texts(sv);
  const enTexts = texts(en);

  it('has an English text for exactly every Swedish one', () => {
    expect([...enTexts.keys()].sort()).toEqual([...svTexts.keys()].sort());
  });

  it('leaves no text empty', () => {
    for (const [key, text] of [...svTexts, ...enTexts]) expect(text.trim(), key).not.toBe('');
  });

  it('fills in the same values in both languages', () => {
    for (const [key, text] of svTexts) expect(placeholders(enTexts.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('has both plural forms wherever it has one', () => {
    for (const key of svTexts.keys()) {
      if (key.endsWith('_one')) expect(svTexts.has(key.replace(/_one$/, '_other')), key).toBe(true);
      if (key.endsWith('_other')) expect(svTexts.has(key.replace(/_other$/, '_one')), key).toBe(true);
    }
  });

  it('takes only keys the Swedish texts have, checked when the code is type-checked', () => {
    const t = i18n.getFixedT('sv');
    expect(t('nav.scan')).toBe('Skanna');
    expect(t('search.count', { count: 3 })).toBe('3 träffar');
    // @ts-expect-error: a misspelt key does not type-check (and would show the key itself on screen).
    expect(t('nav.statoin')).toBe('nav.statoin');
  });

  // These reach the screen from the station's data, typed only as text there: the type check cannot see them.
  it('has a label in both languages for every state the station stores', () => {
    for (const [prefix, values] of [['status', INDIVIDUAL_STATUSES], ['pallet.states', PALLET_STATES], ['service.states', SERVICE_JOB_STATES]] as const) {
      for (const v of values) {
        expect(svTexts.get(`${prefix}.${v}`), `${prefix}.${v}`).toBeTruthy();
        expect(enTexts.get(`${prefix}.${v}`), `${prefix}.${v}`).toBeTruthy();
      }
    }
  });
});
