/** A message fit to show a warehouse worker, in Swedish (the default) and English. */
export interface UserMessage {
  sv: string;
  en: string;
}

/** What a call that failed inside the station says: nothing was kept, try again. */
export const SOMETHING_WENT_WRONG: UserMessage = {
  sv: 'Något gick fel i stationen; inget har sparats. Försök igen, och kontakta IT om det upprepas.',
  en: 'Something went wrong in the station; nothing was saved. Try again, and call IT if it happens again.',
};

/**
 * An error the station expects and can explain: bad input, a wrong location, too little stock.
 * It crosses the API boundary as data, never as an exception. A refused call keeps none of its
 * writes; what the refusal itself must leave behind (a wrong PIN counted, and its audit entry) is
 * `record`, written after everything else the call did was rolled back.
 */
export class DepotError extends Error {
  readonly code: string;
  readonly userMessage: UserMessage;
  readonly field: string | undefined;
  readonly record: (() => void) | undefined;

  constructor(code: string, message: UserMessage, field?: string, record?: () => void) {
    super(`${code}: ${message.en}`);
    this.name = 'DepotError';
    this.code = code;
    this.userMessage = message;
    this.field = field;
    this.record = record;
  }
}

export const isDepotError = (e: unknown): e is DepotError => e instanceof DepotError;
