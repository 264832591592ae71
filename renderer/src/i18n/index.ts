import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { UserMessage } from '../../../vocabulary/errors';
import { en } from './en';
import { sv } from './sv';

export type Lang = 'sv' | 'en';
const STORED = 'depot.lang';

const initial: Lang = localStorage.getItem(STORED) === 'en' ? 'en' : 'sv';
document.documentElement.lang = initial;

void i18next.use(initReactI18next).init({
  lng: initial,
  fallbackLng: 'sv',
  resources: { sv: { translation: sv }, en: { translation: en } },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLang(lang: Lang): void {
  localStorage.setItem(STORED, lang);
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

export const currentLang = (): Lang => (i18next.language === 'en' ? 'en' : 'sv');

/** The station's own message in the language on screen. */
export const localized = (m: UserMessage): string => m[currentLang()];

export const locale = (): string => (currentLang() === 'sv' ? 'sv-SE' : 'en-GB');

export const formatDateTime = (ms: number): string =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(ms);

export const formatDate = (ms: number): string => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(ms);

export const formatNumber = (n: number): string => new Intl.NumberFormat(locale()).format(n);

export default i18next;
