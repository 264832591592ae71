/**
 * Serves the contract: finds the handler, checks the session and the role, validates the input
 * with zod, runs the handler, and turns every failure into an error as data.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { runAudited } from '../db/audit';
import type { DepotError } from '../vocabulary/errors';
import { isDepotError } from '../vocabulary/errors';
import { corrupt, type StationDb } from '../db/open';
import { getSetting } from '../db/settings';
import { getStation, isStationSetUp, type StationInfo } from '../db/station';
import { isActive, lockedMessage, lockedUntil } from '../db/users/users';
import { kioskSessionEnded, kioskSettings } from '../db/workflows/kiosk';
import { SyncEngine, type SyncOptions } from '../services/sync';
import { handlers, type ApiError, type ApiResult, type CallEnvelope } from './contract';
import { EventHub } from '../services/events';
import { PrintService, type PrintOptions } from '../services/printing';
import { ScanService } from '../services/scanning';
import { WorkflowSessions } from '../services/workflows';
import type { ScannerManager } from '../drivers/scanner/manager';
import { IDLE_KEY, IDLE_MINUTES_DEFAULT, type Access, type Handler, type HandlerContext, type Session } from './context';
import { kioskMayCall, PERMISSIONS } from './permissions';
import { invalidInputMessage, READ_CALLS, savesNothing, somethingWentWrong } from './input-errors';



export interface Api {
  call(envelope: CallEnvelope): Promise<ApiResult<unknown>>;
  readonly events: EventHub;
  /** Resolves once the start-up integrity check has answered (true: the database is sound). */
  readonly checked: Promise<boolean>;
  readonly scanning: ScanService;
  readonly workflows: WorkflowSessions;
  readonly printing: PrintService;
  readonly sync: SyncEngine;
}

export interface ApiOptions {
  events?: EventHub;
  /** The station's scanners; none when left out (tests, tools). */
  scanners?: ScannerManager | null;
  print?: PrintOptions;
  sync?: SyncOptions;
  /** The clock for sessions and sign-in locks (default `Date.now`). */
  now?: () => number;
}

/** What a station about to receive its first copy from the register may already be asked. */
const BEFORE_SET_UP = new Set(['station.info', 'sync.status']);
const NOT_SET_UP: StationInfo = { id: '', name: '', siteId: '', siteCode: '', siteName: '', siteKind: 'central_store', municipality: '' };

const fail = (error: ApiError): ApiResult<never> => ({ ok: false, error });

/** A lone half of a UTF-16 surrogate pair: not text, and stored as other bytes than it is hashed as. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Text as the station keeps it: well-formed Unicode in its composed form (NFC), so what is
 * stored, hashed into the audit chain and sent to the register are the same characters. Returns
 * null for input holding a string that is not text at all: a lone surrogate, or NUL (which no
 * text column of the register's PostgreSQL can hold).
 */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) || value.includes('\u0000') ? null : value.normalize('NFC');
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const w = wellFormed(v);
      if (w === null && v !== null) return null;
      out.push(w);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const w = wellFormed(v);
      if ((w === null && v !== null) || LONE_SURROGATE.test(k)) return null;
      Object.defineProperty(out, k.normalize('NFC'), { value: w, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

const notText: ApiError = {
  code: 'api.not_text',
  message: {
    sv: 'Uppgifterna innehåller tecken som inte är text. Skriv eller skanna igen; inget har sparats.',
    en: 'The data holds characters that are not text. Type or scan it again; nothing was saved.',
  },
};

function invalidInput(call: string, issues: z.core.$ZodIssue[], input: unknown): ApiError {
  return { code: 'api.invalid_input', ...invalidInputMessage(call, issues, input) };
}

export function createApi(store: StationDb, options: ApiOptions = {}): Api {
  const events = options.events ?? new EventHub();
  const printing = new PrintService(store, events, options.print);
  const sessions = new Map<string, Session>();
  const clock = options.now ?? Date.now;
  const sync = new SyncEngine(store, events, options.sync);
  // A newly enrolled station has no station row until its first copy from the register arrives.
  let station: StationInfo | null = isStationSetUp(store) ? getStation(store) : null;
  // A damaged database stops the station: nothing more is read or written until IT has restored it.
  let damaged: DepotError | null = null;
  const checked = store.integrity.then((findings) => {
    if (findings.length === 0) return true;
    damaged = corrupt(store.file, findings);
    console.error(`integrity check of ${store.file} failed:`, findings.slice(0, 10));
    events.emit({ type: 'station.damaged', message: damaged.userMessage });
    return false;
  });
  const sessionControl: HandlerContext['sessions'] = {
    open(user, opts) {
      const s: Session = { token: randomBytes(24).toString('base64url'), userId: user.id, name: user.name, role: user.role, lastSeen: clock(), ...(opts?.kiosk ? { kiosk: true } : {}) };
      sessions.set(s.token, s);
      return s;
    },
    close(token) {
      const s = sessions.get(token);
      sessions.delete(token);
      if (s) events.emit({ type: 'session.signedOut', userId: s.userId });
    },
    closeUser(userId) {
      for (const s of [...sessions.values()]) if (s.userId === userId) sessionControl.close(s.token);
    },
    closeKiosk() {
      for (const s of [...sessions.values()]) if (s.kiosk) sessionControl.close(s.token);
    },
  };

  /** A session unused past the station's idle time (a kiosk visit: past the kiosk's, or the station no longer a kiosk) has ended. */
  const ended = (s: Session, now: number) => {
    const idle = now - s.lastSeen;
    return idle > getSetting<number>(store, IDLE_KEY, IDLE_MINUTES_DEFAULT) * 60_000 || (s.kiosk === true && kioskSessionEnded(store, idle));
  };
  // Scanners of the station's own feed the workflow of the user active here while they are signed in.
  const signedIn = (userId: string) => [...sessions.values()].find((s) => s.userId === userId && !s.kiosk && !ended(s, clock()) && lockedUntil(store, userId, clock()) === null);
  const workflows = new WorkflowSessions(store, events, () => station ?? NOT_SET_UP, printing, {
    roleOf: (userId) => (kioskSettings(store).enabled ? null : (signedIn(userId)?.role ?? null)),
    atKiosk: () => {
      // A visit past the kiosk's idle time (or the station no longer a kiosk) is over, for good: its basket goes with it.
      for (const s of [...sessions.values()]) if (s.kiosk && ended(s, clock())) sessionControl.close(s.token);
      const visit = [...sessions.values()].filter((s) => s.kiosk).sort((a, b) => b.lastSeen - a.lastSeen)[0];
      return visit ? { userId: visit.userId, role: visit.role, kiosk: true } : null;
    },
  }, clock);
  const scanning = new ScanService(store, events, options.scanners ?? null, workflows, (code) => sync.fetchDevice(code));

  /** A handler's synchronous part runs in one transaction with its audit entry (db/audit.ts). */
  const runHandler = (h: Handler, name: string, input: unknown, ctx: HandlerContext): unknown =>
    // Before its first copy is in, a station answers its status only (BEFORE_SET_UP, reads): outside
    // any transaction, since the copy is being saved in one of its own as it arrives (db/sync/apply.ts).
    !station
      ? h.run(ctx, input)
      : // A call that only reads leaves no entry, even when it kept a figure it worked out (usage, say) for the next.
        runAudited(store, () => h.run(ctx, input), () => (station && !READ_CALLS.has(name) ? { stationId: station.id, userId: ctx.session?.userId ?? null, call: name, input } : null));

  async function call(envelope: CallEnvelope): Promise<ApiResult<unknown>> {
    const name = typeof envelope?.name === 'string' ? envelope.name : '';
    const h = Object.hasOwn(handlers, name) ? (handlers[name as keyof typeof handlers] as unknown as Handler) : undefined;
    if (!h)
      return fail({
        code: 'api.unknown_call',
        message: { sv: `Okänt anrop "${name}". Starta om programmet.`, en: `Unknown call "${name}". Restart the app.` },
      });
    if (damaged && name !== 'station.info') return fail({ code: damaged.code, message: damaged.userMessage });
    if (!station && isStationSetUp(store)) station = getStation(store);
    if (!station && !BEFORE_SET_UP.has(name))
      return fail({
        code: 'station.setting_up',
        message: {
          sv: 'Stationen hämtar sina data från registret. Vänta tills det är klart.',
          en: 'The station is fetching its data from the register. Wait until it is done.',
        },
      });
    const access: Access = PERMISSIONS[name as keyof typeof PERMISSIONS];
    let session: Session | null = null;
    if (access !== 'public') {
      const s = envelope.session ? sessions.get(envelope.session) : undefined;
      const now = clock();
      if (!s || ended(s, now)) {
        if (s) sessionControl.close(s.token);
        return fail({
          code: 'auth.signed_out',
          message: { sv: 'Du är utloggad (stationen låser sig när den inte används). Logga in igen.', en: 'You are signed out (the station locks itself when idle). Sign in again.' },
        });
      }
      // A user deactivated since signing in (here, or anywhere once synced): the session ends at its next call.
      if (!isActive(store, s.userId)) {
        sessionControl.close(s.token);
        return fail({ code: 'auth.signed_out', message: { sv: 'Ditt konto är avstängt. Tala med en administratör.', en: 'Your account is deactivated. Talk to an administrator.' } });
      }
      // A user locked out by wrong PINs at this station since signing in: the session ends at its next call.
      const locked = lockedUntil(store, s.userId, now);
      if (locked !== null) {
        sessionControl.close(s.token);
        return fail({ code: 'auth.locked', message: lockedMessage(locked, now) });
      }
      if ((s.kiosk && !kioskMayCall(name)) || (access !== 'signed_in' && !access.includes(s.role)))
        return fail({
          code: 'auth.forbidden',
          message: {
            sv: 'Din roll får inte göra det här. Be en arbetsledare om hjälp.',
            en: 'Your role may not do this. Ask a supervisor for help.',
          },
        });
      s.lastSeen = now;
      session = s;
    }
    const text = wellFormed(envelope.input ?? {});
    if (text === null) return fail(savesNothing(name) ? { ...notText, message: { sv: notText.message.sv.replace('; inget har sparats.', '.'), en: notText.message.en.replace('; nothing was saved.', '.') } } : notText);
    const parsed = h.input.safeParse(text);
    if (!parsed.success) return fail(invalidInput(name, parsed.error.issues, text));
    try {
      const result = runHandler(h, name, parsed.data, { store, station: station ?? NOT_SET_UP, events, scanning, workflows, printing, sync, session, sessions: sessionControl, damaged, now: clock });
      return { ok: true, value: await result };
    } catch (e) {
      if (isDepotError(e)) return fail({ code: e.code, message: e.userMessage, ...(e.field ? { field: e.field } : {}) });
      console.error(`call ${name} failed`, e);
      return fail({ code: 'internal', message: somethingWentWrong(name) });
    }
  }

  return { call, events, checked, scanning, workflows, printing, sync };
}
