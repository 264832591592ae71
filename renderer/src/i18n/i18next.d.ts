/**
 * The keys `t()` accepts are the Swedish resource's: a misspelt or missing key fails the type check.
 * (i18next's documented module augmentation of `CustomTypeOptions`.)
 */
import 'i18next';
import type { sv } from './sv';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof sv };
  }
}
