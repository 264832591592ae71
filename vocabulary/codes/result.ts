import type { UserMessage } from '../errors';

/** A decoding failure as data: a code to branch on and a message a worker can act on. */
export interface ScanError {
  code: string;
  message: UserMessage;
  /** Where in the scanned text the problem is, when that is known. */
  at?: number;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: ScanError };

export const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
export const err = (code: string, sv: string, en: string, at?: number): Decoded<never> => ({
  ok: false,
  error: { code, message: { sv, en }, ...(at === undefined ? {} : { at }) },
});
