/**
 * The console's calls to the register: JSON over fetch with the session cookie, every write
 * marked with the console's header. A refusal arrives as `ConsoleFailed` with the register's
 * words; a lost session tells the app, which shows the sign-in again.
 */
import type { UserMessage } from '../../vocabulary/errors';

export class ConsoleFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: UserMessage,
  ) {
    super(userMessage.en);
  }
}

const OFFLINE: UserMessage = {
  sv: 'Registret svarar inte. Kontrollera nätet och försök igen.',
  en: 'The register does not answer. Check the network and try again.',
};

let signedOut: () => void = () => undefined;
/** What to do when the register says the session is over. */
export function onSignedOut(handler: () => void): void {
  signedOut = handler;
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`./api/${path}`, {
      method,
      credentials: 'same-origin',
      headers: method === 'POST' ? { 'Content-Type': 'application/json', 'X-Depot-Console': '1' } : {},
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
  } catch {
    throw new ConsoleFailed(0, 'console.offline', OFFLINE);
  }
  const answer = (await res.json().catch(() => null)) as { ok: true; value: T } | { ok: false; error: { code: string; message: UserMessage } } | null;
  if (answer?.ok) return answer.value;
  const error = answer && !answer.ok ? answer.error : { code: 'console.offline', message: OFFLINE };
  if (error.code === 'console.signed_out') signedOut();
  throw new ConsoleFailed(res.status, error.code, error.message);
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body);
