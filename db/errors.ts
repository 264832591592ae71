/** A message fit to show a warehouse worker, in Swedish (the default) and English. */
export interface UserMessage {
  sv: string;
  en: string;
}

/**
 * An error the station expects and can explain: bad input, a wrong location, too little stock.
 * It crosses the API boundary as data, never as an exception.
 */
export class DepotError extends Error {
  readonly code: string;
  readonly userMessage: UserMessage;
  readonly field: string | undefined;

  constructor(code: string, message: UserMessage, field?: string) {
    super(`${code}: ${message.en}`);
    this.name = 'DepotError';
    this.code = code;
    this.userMessage = message;
    this.field = field;
  }
}

export const isDepotError = (e: unknown): e is DepotError => e instanceof DepotError;
