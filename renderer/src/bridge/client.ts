/**
 * The renderer's one way to the station: `call(name, input)` typed by the contract, over
 * Electron IPC when the preload is there, otherwise over browser mode's HTTP + WebSocket.
 */
import type { ApiError, ApiResult, CallEnvelope, CallInput, CallName, CallOutput } from '../../../api/contract';
import type { StationEvent } from '../../../services/events';

interface Bridge {
  call(envelope: CallEnvelope): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: StationEvent) => void): () => void;
}

declare global {
  interface Window {
    depot?: Bridge;
  }
}

const TOKEN_KEY = 'depot.launchToken';

function launchToken(): string {
  const m = /[#&]token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const offline = (en: string): ApiResult<never> => ({
  ok: false,
  error: {
    code: 'transport.unreachable',
    message: { sv: 'Stationen svarar inte. Kontrollera att programmet körs och försök igen.', en: `The station does not answer (${en}). Check that the app is running and try again.` },
  },
});

function browserBridge(): Bridge {
  const token = launchToken();
  // One WebSocket for the whole page, open from the first subscription on: a screen that
  // subscribes later gets events at once, with no connection of its own to wait for.
  const listeners = new Set<(event: StationEvent) => void>();
  let ws: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    if (ws) return;
    ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`);
    ws.onmessage = (m) => {
      const event = JSON.parse(String(m.data)) as StationEvent;
      for (const l of [...listeners]) l(event);
    };
    ws.onopen = () => (retry = 500);
    ws.onclose = () => {
      ws = null;
      setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };
  return {
    async call(envelope) {
      try {
        const res = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(envelope),
        });
        // A refusal before any call ran (no launch token, too large…) says why, in the contract's shape.
        if (!res.ok) {
          const refused = (await res.json().catch(() => null)) as ApiResult<unknown> | null;
          return refused && refused.ok === false && typeof refused.error?.code === 'string' ? refused : offline(`HTTP ${res.status}`);
        }
        return (await res.json()) as ApiResult<unknown>;
      } catch (e) {
        return offline((e as Error).message);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

const bridge: Bridge = window.depot ?? browserBridge();
let sessionToken: string | null = sessionStorage.getItem('depot.session');

/** Whether this window holds a session (a reload keeps it for the tab's life). */
export const hasSession = (): boolean => sessionToken !== null;

export function setSession(token: string | null): void {
  sessionToken = token;
  if (token) sessionStorage.setItem('depot.session', token);
  else sessionStorage.removeItem('depot.session');
}

export class CallFailed extends Error {
  constructor(readonly error: ApiError) {
    super(error.message.en);
  }
}

/** Calls the station; resolves with the value or rejects with `CallFailed` carrying the error as data. */
export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const r = await bridge.call({ name, input, session: sessionToken });
  if (!r.ok) throw new CallFailed(r.error);
  return r.value as CallOutput<K>;
}

export const subscribe = (listener: (event: StationEvent) => void): (() => void) => bridge.subscribe(listener);
