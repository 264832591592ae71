/**
 * The console's two languages, Swedish first, with i18next as at the station (an instance of its
 * own, so the station's words and the console's never mix): `t` takes only keys the Swedish
 * resource has (a plural by its key without `_one`/`_other`).
 */
import i18next from 'i18next';
import { createContext, useContext } from 'react';
import type { UserMessage } from '../../vocabulary/errors';
import { en } from './en';
import { sv } from './sv';

export type Lang = 'sv' | 'en';
const STORED = 'depot.console.lang';

type Paths<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`> }[keyof T & string];
type Plural<K extends string> = K extends `${infer B}_one` ? B : K extends `${infer B}_other` ? B : K;
export type Key = Plural<Paths<typeof sv>>;

const i18n = i18next.createInstance();
void i18n.init({
  lng: 'sv',
  fallbackLng: 'sv',
  resources: { sv: { translation: sv }, en: { translation: en } },
  interpolation: { escapeValue: false },
  initAsync: false,
});
const translate = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;

export const storedLang = (): Lang => (localStorage.getItem(STORED) === 'en' ? 'en' : 'sv');

export function applyLang(lang: Lang): void {
  localStorage.setItem(STORED, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export interface Words {
  lang: Lang;
  t: (key: Key, options?: Record<string, unknown>) => string;
  /** A message from the register in the language on screen. */
  say: (m: UserMessage) => string;
  dateTime: (ms: number) => string;
  number: (n: number) => string;
  setLang: (lang: Lang) => void;
}

export function words(lang: Lang, setLang: (lang: Lang) => void): Words {
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const nf = new Intl.NumberFormat(locale);
  return {
    lang,
    t: (key, options) => translate(key, { lng: lang, ...options }),
    say: (m) => m[lang],
    dateTime: (ms) => dt.format(ms),
    number: (n) => nf.format(n),
    setLang,
  };
}

export const WordsContext = createContext<Words>(words('sv', () => undefined));
export const useWords = (): Words => useContext(WordsContext);
