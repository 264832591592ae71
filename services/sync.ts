/**
 * The station's sync engine: in the background it pushes the outbox to the register and pulls
 * the register's changes, retrying with backoff and jitter while the network is away. Everything
 * it knows lives in the database (cursor, acknowledged entries), so it resumes after any restart.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { UserMessage } from '../vocabulary/errors';
import type { StationDb } from '../db/open';
import { hasPinPepper, keepPinPepper } from '../db/pepper';
import { isStationSetUp } from '../db/station';
import { auditHead } from '../db/audit';
import { auditBatch, recordAuditPushed } from '../db/sync/audit';
import { applyColumnSnapshot, applyPull, applySnapshot, devicesToRefresh, NotTaken, takeDevices, type SnapshotLine } from '../db/sync/apply';
import { columnsSent, CopyDecoder, CopyRefused, MAX_FRAME_BYTES, readHeaderFrame, SNAPSHOT_COLUMNS_2_CONTENT_TYPE, SNAPSHOT_COLUMNS_CONTENT_TYPE } from '../db/sync/columns';
import { linkToRegister, noteAttempt, syncCounts, syncLink, type SyncLink } from '../db/sync/link';
import { copyScope, heldSiteName } from '../db/sync/scope';
import { outboxBatch, pushAgainFrom, recordPushed } from '../db/sync/outbox';
import { decodeMovement, movementTuple, pack, unframe, type AuditPushResponse, type EnrolResponse, type Movement, type MovementTuple, type PullPage, type PushResponse, type ResyncNeeded, type SnapshotHeader, SNAPSHOT_CONTENT_TYPE } from '../db/sync/wire';
import { z } from 'zod';
import type { EventHub } from './events';
import { readFrameBodies, readFrames, saveArrivingCopy, writeFrames } from './register-copy';
import { APP_VERSION, VERSION_HEADER } from '../vocabulary/version';

export interface SyncProgress {
  /**
   * `prepare`: the register has answered and prepares the copy, or it waits its turn there (no rows
   * yet, `total` 0); `download`: rows fetched (a new station's copy: fetched and saved as they
   * come); `apply`: rows saved; `finish`: every row in, the indexes being built.
   */
  phase: 'prepare' | 'download' | 'apply' | 'finish';
  done: number;
  total: number;
  /** The phase's time left in seconds, from its pace so far; null until it can be told (rows counted for a second). */
  secondsLeft?: number | null;
}

export interface SyncStatus {
  enrolled: boolean;
  registerUrl: string | null;
  online: boolean;
  syncing: boolean;
  lastSuccessAt: number | null;
  lastError: UserMessage | null;
  waiting: number;
  waitingMovements: number;
  rejected: number;
  conflicts: number;
  /** Set while a full copy is loading. */
  progress: SyncProgress | null;
  /** The site whose own copy this station holds (a depot's), named; null for the whole region's. */
  heldSite: string | null;
}

/**
 * About how many seconds a phase of `total` rows has left, `done` of them in `elapsed` seconds: none
 * until the phase has run 3 s and done 2 % (the first rows come slower than the rest, and a guess
 * from them would promise minutes for what takes seconds), 0 once every row is in.
 */
export function secondsLeft(done: number, total: number, elapsed: number): number | null {
  if (total > 0 && done >= total) return 0;
  if (total <= 0 || elapsed < 3 || done < total * 0.02) return null;
  return Math.ceil((elapsed * (total - done)) / done);
}

/** The longest wait between a new station's attempts to reach the register for its first copy. */
const NEW_STATION_MAX_DELAY_MS = 5_000;

/**
 * The wait before trying the register again after `failures` failed rounds in a row (before jitter):
 * doubling from `minDelayMs` up to `maxDelayMs`; up to 5 s (`waitsLong` false) for a new station that
 * could not reach the register, which cannot be used at all until its first copy is in and should
 * take it soon after the register is back.
 */
export function retryDelay(failures: number, opts: { minDelayMs: number; maxDelayMs: number }, waitsLong: boolean): number {
  const longest = waitsLong ? opts.maxDelayMs : Math.min(opts.maxDelayMs, NEW_STATION_MAX_DELAY_MS);
  return Math.min(longest, opts.minDelayMs * 2 ** Math.max(0, failures - 1));
}

/** A device as the register sends it on request: `['individual', id, data]`. */
const deviceChange = z.tuple([z.literal('individual'), z.string().min(1).max(64), z.record(z.string(), z.unknown())]);

export interface SyncOptions {
  /** Between rounds when all is well (pulls what others did). */
  intervalMs?: number;
  /** First retry delay after a failure; doubles up to `maxDelayMs`, with jitter. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Entries' movements per push request. */
  batchMovements?: number;
  /** Changes per pull page. */
  pageSize?: number;
  requestTimeoutMs?: number;
}

const OFFLINE: UserMessage = {
  sv: 'Registret går inte att nå. Stationen arbetar vidare och skickar allt när nätet är tillbaka.',
  en: 'The register cannot be reached. The station keeps working and sends everything when the network is back.',
};

/** The same for a new station, which has nothing to work with or to send until its first copy is in. */
const OFFLINE_FIRST_COPY: UserMessage = {
  sv: 'Registret går inte att nå, så stationen kan inte hämta sina data än. Den försöker igen av sig själv och hämtar då allt från början. Dröjer det, kontrollera nätverket eller kontakta IT.',
  en: 'The register cannot be reached, so the station cannot fetch its data yet. It tries again by itself and then fetches everything from the start. If it takes long, check the network or contact IT.',
};

const CANNOT_TAKE_IN: UserMessage = {
  sv: 'Stationen kunde inte ta emot det registret skickade; inget av det är sparat. Stationen arbetar vidare och försöker igen. Kontakta IT om det står kvar.',
  en: 'The station could not take in what the register sent; none of it is saved. The station keeps working and tries again. Contact IT if this stays.',
};

const NEEDS_UPDATE: UserMessage = {
  sv: 'Registret skickar uppgifter som bara en nyare version av stationen kan läsa; inget av det är sparat. Uppdatera stationen. Den arbetar vidare under tiden.',
  en: 'The register sends data only a newer version of the station can read; none of it is saved. Update the station. It keeps working meanwhile.',
};

/** An error in taking in the register's data here (the database refused it, or it was not what it should be), not in reaching the register. */
const cannotTakeIn = (e: unknown): boolean => e instanceof CopyRefused || e instanceof NotTaken || e instanceof z.ZodError || e instanceof SyntaxError || (e instanceof Error && e.name === 'SqliteError');

class RegisterRefused extends Error {
  constructor(
    readonly status: number,
    readonly userMessage: UserMessage,
  ) {
    super(userMessage.en);
  }
}

/** A request's signal: its own time, or the station closing, whichever comes first. */
const untilStopped = (timeout: AbortSignal, stop: AbortSignal | undefined): AbortSignal => (stop ? AbortSignal.any([timeout, stop]) : timeout);

/** A request that failed because the register closed its connection, not because it could not be reached or did not answer in time. */
const closedByRegister = (e: unknown): boolean => {
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  return e instanceof TypeError && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET');
};

/**
 * A request to the register, given up after `timeoutMs`, or at once when `stop` aborts (the station
 * is closing: nothing it waits for is worth holding the app open, since every request may be sent again).
 */
async function send<T>(url: string, init: RequestInit & { token?: string; timeoutMs: number; stop?: AbortSignal }): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'gzip', [VERSION_HEADER]: APP_VERSION };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Encoding'] = 'gzip';
  }
  const attempt = () => fetch(url, { ...init, headers, signal: untilStopped(AbortSignal.timeout(init.timeoutMs), init.stop) });
  // A connection the register closed while it lay idle here (the station busy saving a copy, say)
  // fails the request sent on it at once: sent once more, on a new connection. Every request to the
  // register may come twice (a lost answer is sent again in any case), so this changes nothing there.
  const res = await attempt().catch((e: unknown) => {
    if (!closedByRegister(e)) throw e;
    return attempt();
  });
  const body = (await res.json().catch(() => null)) as T & { error?: { message: UserMessage } };
  if (res.status >= 400 && res.status !== 409)
    throw new RegisterRefused(res.status, body?.error?.message ?? { sv: `Registret svarade ${res.status}.`, en: `The register answered ${res.status}.` });
  return { status: res.status, body };
}

/** Keeps the PIN pepper the register hands over (hex), when it handed one over. */
function keepRegisterPepper(store: StationDb, pepper: unknown): void {
  if (typeof pepper === 'string' && /^[0-9a-f]{64}$/.test(pepper)) keepPinPepper(store, Buffer.from(pepper, 'hex'));
}

/** Enrols this (empty) station with the register using a one-time code; the first sync then fills it. */
export async function enrolWithRegister(store: StationDb, registerUrl: string, code: string): Promise<EnrolResponse> {
  if (isStationSetUp(store))
    throw new RegisterRefused(409, {
      sv: 'Stationen har redan data. Skriv in en ny station med en tom datamapp.',
      en: 'This station already has data. Enrol a new station with an empty data folder.',
    });
  const url = registerUrl.replace(/\/+$/, '');
  const res = await fetch(`${url}/enrol`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }), signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as EnrolResponse & { error?: { message: UserMessage } };
  if (!res.ok) throw new RegisterRefused(res.status, body.error?.message ?? OFFLINE);
  // The register's PIN pepper first: the users the first copy brings have PINs hashed with it.
  keepRegisterPepper(store, body.pepper);
  linkToRegister(store, url, body);
  return body;
}

export class SyncEngine {
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private closed = false;
  /** Aborted by `stop`: requests under way are given up, a first copy under way rolled back. */
  private readonly stopping = new AbortController();
  private failures = 0;
  private online = false;
  private progress: SyncProgress | null = null;
  private enrolling: Promise<void> | null = null;
  private enrolError: UserMessage | null = null;
  private registerHasNoPepper = false;
  private readonly opts: Required<SyncOptions>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: StationDb,
    private readonly events: EventHub,
    options: SyncOptions = {},
  ) {
    this.opts = { intervalMs: 5_000, minDelayMs: 500, maxDelayMs: 30_000, batchMovements: 10_000, pageSize: 5_000, requestTimeoutMs: 30_000, ...options };
    // What was just posted here goes to the register straight away.
    this.unsubscribe = events.subscribe((e) => {
      if (e.type === 'stock.changed' && !this.stopped && !this.running) this.schedule(100);
    });
  }

  start(): void {
    if (this.closed || !this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.stopped = true;
    this.stopping.abort();
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.enrolling;
    await this.running?.catch(() => undefined);
  }

  /** Enrols this new station with the register, then starts syncing (its first round brings the full copy). */
  enrol(registerUrl: string, code: string): void {
    this.enrolling = enrolWithRegister(this.store, registerUrl, code).then(
      () => {
        this.enrolError = null;
        this.start();
      },
      (e: unknown) => {
        this.enrolError = e instanceof RegisterRefused ? e.userMessage : OFFLINE;
        this.events.emit({ type: 'sync.status', status: this.status() });
      },
    );
  }

  /** Runs a round now (or right after the one under way) and resolves when it is done. */
  async syncNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      await this.running.catch(() => undefined);
    }
    await this.round();
  }

  status(): SyncStatus {
    const link = syncLink(this.store);
    return {
      enrolled: link !== null,
      registerUrl: link?.registerUrl ?? null,
      online: this.online,
      syncing: this.running !== null,
      lastSuccessAt: link?.lastSuccessAt ?? null,
      lastError: link?.lastError ?? this.enrolError,
      ...syncCounts(this.store),
      progress: this.progress,
      heldSite: heldSiteName(this.store),
    };
  }

  /** Runs a round in `delay` ms, unless one is already due sooner (a busy station never starves its sync). */
  private schedule(delay: number): void {
    if (this.stopped) return;
    const due = Date.now() + delay;
    if (this.timer && this.dueAt <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, delay);
    this.timer.unref?.();
  }

  private round(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.work()
      .then(
        () => {
          this.failures = 0;
          this.online = true;
          noteAttempt(this.store, null, true);
        },
        (e: unknown) => {
          // A round given up because the station is closing says nothing about the register.
          if (this.closed) return;
          this.failures++;
          // What the register sent could not be taken in here: the network is there, and saying
          // "cannot be reached" would send IT looking at the wrong thing.
          if (cannotTakeIn(e)) {
            console.error('sync: what the register sent could not be taken in', e);
            this.online = true;
            noteAttempt(this.store, e instanceof CopyRefused && e.update ? NEEDS_UPDATE : CANNOT_TAKE_IN, false);
            return;
          }
          // The register answered (and refused): the network is there. Anything else: it is not.
          this.online = e instanceof RegisterRefused;
          const message = e instanceof RegisterRefused ? e.userMessage : OFFLINE;
          noteAttempt(this.store, message === OFFLINE && !isStationSetUp(this.store) ? OFFLINE_FIRST_COPY : message, false);
        },
      )
      .finally(() => {
        this.running = null;
        this.progress = null;
        this.events.emit({ type: 'sync.status', status: this.status() });
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else if (this.failures > 0) {
          // A new station that could not reach the register tries again soon; one whose copy the register
          // refused, or that could not take it in, waits as long as any (a copy is heavy work for the register).
          const base = retryDelay(this.failures, this.opts, isStationSetUp(this.store) || this.online);
          this.schedule(base / 2 + Math.random() * (base / 2));
        } else this.schedule(this.opts.intervalMs);
      });
    this.events.emit({ type: 'sync.status', status: this.status() });
    return this.running;
  }

  private async work(): Promise<void> {
    const link = syncLink(this.store);
    if (!link) return;
    // A station enrolled before PINs were peppered asks for the register's pepper, until it has it
    // or the register says it has none.
    if (!this.registerHasNoPepper && !hasPinPepper(this.store)) await this.fetchPepper(link);
    if (!isStationSetUp(this.store) || link.epoch === null) await this.fullCopy();
    await this.refreshDevices();
    await this.push();
    await this.pull();
    // Last: a trail the register cannot take must not hold up stock.
    await this.pushAudit();
  }

  private async fetchPepper(link: SyncLink): Promise<void> {
    let res: { body: { pepper?: string } };
    try {
      res = await this.get<{ pepper?: string }>(link, '/sync/pepper');
    } catch (e) {
      // A register from before the pepper has none to give (404): its PINs check without one.
      if (e instanceof RegisterRefused && e.status === 404) {
        this.registerHasNoPepper = true;
        return;
      }
      throw e;
    }
    keepRegisterPepper(this.store, res.body?.pepper);
  }

  /**
   * One device's movements as the register holds them (the history this station's copy no longer
   * carries), or null when the register cannot be reached: the timeline shows what is here.
   */
  async deviceHistory(individualId: string): Promise<Movement[] | null> {
    const link = syncLink(this.store);
    if (!link || link.epoch === null) return null;
    try {
      const res = await this.get<{ movements?: unknown }>(link, `/sync/history?individual=${encodeURIComponent(individualId)}`, Math.min(this.opts.requestTimeoutMs, 5_000));
      const list = z.array(movementTuple).max(2_000).safeParse(res.body?.movements);
      return list.success ? list.data.map((m) => decodeMovement(m as MovementTuple)) : null;
    } catch {
      return null;
    }
  }

  /**
   * Asks the register for a device this depot's own copy does not hold (by the code scanned) and
   * takes it in: true when it did. False when offline, when the register has no single device by
   * that code, or when the station holds the whole region's copy (it has every device already).
   */
  async fetchDevice(code: string): Promise<boolean> {
    const link = syncLink(this.store);
    if (!link || link.epoch === null || copyScope(this.store) === null) return false;
    try {
      const res = await this.get<{ device?: unknown }>(link, `/sync/device?code=${encodeURIComponent(code)}`, Math.min(this.opts.requestTimeoutMs, 5_000));
      const device = deviceChange.safeParse(res.body?.device);
      if (!device.success) return false;
      takeDevices(this.store, [device.data]);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Asks the register, 500 at a time, for the devices a depot held that its latest copy did not
   * carry (they left the site long ago), so none stays as the depot last knew it.
   */
  async refreshDevices(): Promise<void> {
    for (;;) {
      const ids = devicesToRefresh(this.store, 500);
      if (ids.length === 0) return;
      let res: { body: { devices?: unknown } };
      try {
        res = await this.post<{ devices?: unknown }>(syncLink(this.store)!, '/sync/devices', { ids });
      } catch (e) {
        // A register of an earlier version cannot answer (nor did it send a depot's own copy).
        if (e instanceof RegisterRefused && e.status === 404) return;
        throw e;
      }
      const devices = z.array(deviceChange).max(ids.length).safeParse(res.body?.devices);
      if (!devices.success) throw new RegisterRefused(502, OFFLINE);
      takeDevices(this.store, devices.data, ids);
    }
  }

  /** A GET to the register with the station's token, given up after `timeoutMs` or when the station closes. */
  private get<T>(link: SyncLink, path: string, timeoutMs = this.opts.requestTimeoutMs): Promise<{ body: T }> {
    return send<T>(`${link.registerUrl}${path}`, { method: 'GET', token: link.token, timeoutMs, stop: this.stopping.signal });
  }

  /** A gzipped POST to the register with the station's token, given up as a GET is. */
  private post<T>(link: SyncLink, path: string, body: unknown): Promise<{ body: T }> {
    return send<T>(`${link.registerUrl}${path}`, { method: 'POST', token: link.token, body: new Uint8Array(pack(body)), timeoutMs: this.opts.requestTimeoutMs, stop: this.stopping.signal });
  }

  /** Sends the audit trail after the last entry the register holds, until it holds all of it. */
  async pushAudit(): Promise<void> {
    const key = this.store.auditKey.toString('hex');
    for (let round = 0; ; round++) {
      const link = syncLink(this.store)!;
      const entries = auditBatch(this.store, link.auditAcked);
      // The head goes every round, new entries or not, so a trail shortened here shows at the register.
      if (entries.length === 0 && round > 0) return;
      const res = await this.post<AuditPushResponse & { error?: { message: UserMessage } }>(link, '/sync/audit', { entries, key, head: auditHead(this.store) });
      // The register refuses this station's trail (another chain key): its words, not "offline".
      if (!Array.isArray(res.body?.broken)) throw new RegisterRefused(409, res.body?.error?.message ?? OFFLINE);
      recordAuditPushed(this.store, res.body);
      if (entries.length === 0) return;
      // Fewer than sent: the register holds less than we thought (it was restored); go on from there.
      // None of this batch taken although it began right after: stop rather than send it forever.
      if (res.body.last < entries[0]![0] && res.body.last >= link.auditAcked) return;
    }
  }

  /** Sends the outbox until the register has acknowledged all of it (one half of a round). */
  async push(): Promise<void> {
    for (;;) {
      const link = syncLink(this.store)!;
      const entries = outboxBatch(this.store, link.acked, this.opts.batchMovements);
      if (entries.length === 0) return;
      const res = await this.post<PushResponse>(link, '/sync/push', { entries });
      if (res.body.gap) {
        pushAgainFrom(this.store, res.body.lastApplied);
        continue;
      }
      recordPushed(this.store, res.body);
    }
  }

  /**
   * Asks the register how many of this station's entries it holds (a push of none), before a full
   * copy. One put back from a backup holds fewer than it acknowledged: those it lost are then this
   * station's not acknowledged again, counted in the copy's stock on top of the register's (as any
   * not acknowledged yet are) and sent again at the next push, rather than the copy's stock leaving
   * them out until this station next has something to send.
   */
  private async entriesHeld(link: SyncLink): Promise<void> {
    const res = await this.post<Partial<PushResponse>>(link, '/sync/push', { entries: [] });
    const held = res.body?.lastApplied;
    if (typeof held === 'number' && Number.isSafeInteger(held) && held >= 0 && held < link.acked) pushAgainFrom(this.store, held);
  }

  /** Applies the register's changes until up to date (the other half). */
  async pull(): Promise<void> {
    let moved = 0;
    for (;;) {
      const link = syncLink(this.store)!;
      const q = new URLSearchParams({
        cursor: String(link.cursor),
        limit: String(this.opts.pageSize),
        ...(link.epoch ? { epoch: link.epoch } : {}),
        // A depot's own copy needs only the movements that touch its site.
        ...(copyScope(this.store) !== null ? { scope: 'site' } : {}),
      });
      const res = await this.get<PullPage | ResyncNeeded>(link, `/sync/pull?${q}`);
      if ('resync' in res.body) {
        await this.fullCopy();
        continue;
      }
      applyPull(this.store, res.body);
      moved += res.body.m.length;
      if (!res.body.more) break;
    }
    if (moved > 0) this.events.emit({ type: 'stock.changed', articleIds: [], movementCount: moved });
  }

  /** Takes the register's full copy, with its progress: a new station's as it arrives, a station's that replaces the one it holds once downloaded. */
  private async fullCopy(): Promise<void> {
    const link = syncLink(this.store)!;
    if (isStationSetUp(this.store)) await this.entriesHeld(link);
    // A new station asks for its own site's copy (the register gives a depot's station its site's and
    // the central store's the region's); a station that holds the whole region's keeps holding it.
    const siteCopy = !isStationSetUp(this.store) || copyScope(this.store) !== null;
    const res = await fetch(`${link.registerUrl}/sync/snapshot${siteCopy ? '?scope=site' : ''}`, {
      // Columnar frames if the register has them; a register of an earlier version sends lines.
      headers: { Authorization: `Bearer ${link.token}`, [VERSION_HEADER]: APP_VERSION, Accept: `${SNAPSHOT_COLUMNS_2_CONTENT_TYPE}, ${SNAPSHOT_COLUMNS_CONTENT_TYPE}, ${SNAPSHOT_CONTENT_TYPE}` },
      signal: untilStopped(AbortSignal.timeout(30 * 60_000), this.stopping.signal),
    });
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { error?: { message: UserMessage } } | null;
      throw new RegisterRefused(res.status, body?.error?.message ?? OFFLINE);
    }
    // The register answers: the station is online while the copy comes (said at once), and the
    // copy is being prepared until its first rows come; its time left counts from them.
    this.online = true;
    this.emitProgress({ phase: 'prepare', done: 0, total: 0 });
    // Either edition of columns reads with the same decoder (the second's shapes are added to the first's).
    const columns = columnsSent(res.headers.get('content-type')) !== null;
    if (columns && !isStationSetUp(this.store)) await this.streamCopy(Readable.fromWeb(res.body as never));
    else await this.storedCopy(Readable.fromWeb(res.body as never), columns);
    await this.refreshDevices();
    this.events.emit({ type: 'stock.changed', articleIds: [], movementCount: 0 });
  }

  /**
   * A new station's copy, saved frame by frame as it arrives (db/sync/apply.ts): the station does
   * nothing else until it is in, so its one transaction may stay open while the register reads and
   * sends, and the three overlap.
   */
  private async streamCopy(body: Readable): Promise<void> {
    try {
      const saved = await saveArrivingCopy(this.store, body, (done, total, finishing) => this.emitProgress({ phase: finishing ? 'finish' : 'download', done, total }));
      if (!saved) throw new RegisterRefused(502, OFFLINE);
    } finally {
      // A copy refused on the way stops its download too, rather than leave the register sending.
      body.destroy();
    }
  }

  /**
   * A copy that replaces one the station holds (the register started a new epoch): downloaded to a
   * file beside the database first, so the station keeps working while it arrives, then applied in
   * one transaction.
   */
  private async storedCopy(body: Readable, columns: boolean): Promise<void> {
    const file = join(dirname(this.store.file), 'register-copy.frames');
    const counter = new FrameCounter(columns);
    const downloaded = () => {
      const h = counter.header;
      this.emitProgress({ phase: 'download', done: counter.rows, total: h ? h.counts.entities + h.counts.movements + h.counts.balances : 0 });
    };
    const counting = body.map((chunk: Buffer) => {
      counter.push(chunk);
      downloaded();
      return chunk;
    });
    const key = this.store.databaseKey();
    await writeFrames(counting, file, key);
    // Once more with the whole copy in its file, however few pieces it came in.
    downloaded();
    try {
      if (columns) {
        const frames = readFrameBodies(file, key);
        const head = frames.next();
        if (head.done) throw new RegisterRefused(502, OFFLINE);
        const h = readHeaderFrame(head.value.body);
        const total = h.counts.entities + h.counts.movements + h.counts.balances;
        const decoder = new CopyDecoder();
        const read = function* () {
          for (const f of frames) yield decoder.read(f.body, f.rows);
        };
        applyColumnSnapshot(this.store, h, read(), (done) => this.emitProgress({ phase: 'apply', done, total }));
      } else {
        const lines = readFrames(file, key);
        const head = lines.next();
        if (head.done) throw new RegisterRefused(502, OFFLINE);
        const h = JSON.parse(head.value) as SnapshotHeader;
        const total = h.counts.entities + h.counts.movements + h.counts.balances;
        applySnapshot(this.store, h, parseLines(lines), (done) => this.emitProgress({ phase: 'apply', done, total }));
      }
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** When the phase under way started. */
  private phaseStart: { phase: SyncProgress['phase']; at: number } | null = null;

  private emitProgress(p: SyncProgress): void {
    const now = performance.now();
    if (this.phaseStart?.phase !== p.phase) this.phaseStart = { phase: p.phase, at: now };
    this.progress = { ...p, secondsLeft: secondsLeft(p.done, p.total, (now - this.phaseStart.at) / 1000) };
    this.events.emit({ type: 'sync.status', status: this.status() });
  }
}

/**
 * Counts the rows of a full copy as its frames pass ([u32 length][u32 rows][body]); the first frame
 * holds the header (JSON lines under gzip, or a columnar frame).
 */
class FrameCounter {
  rows = 0;
  header: SnapshotHeader | null = null;
  private head = Buffer.alloc(0);
  private remaining = 0;
  private firstBody: Buffer[] | null = [];

  constructor(private readonly columns: boolean) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        this.firstBody?.push(chunk.subarray(at, at + n));
        this.remaining -= n;
        at += n;
        if (this.remaining === 0 && this.firstBody) {
          const body = Buffer.concat(this.firstBody);
          this.header = this.columns ? readHeaderFrame(body) : (JSON.parse(unframe(body)[0]!) as SnapshotHeader);
          this.firstBody = null;
        }
        continue;
      }
      const take = Math.min(8 - this.head.length, chunk.length - at);
      this.head = Buffer.concat([this.head, chunk.subarray(at, at + take)]);
      at += take;
      if (this.head.length === 8) {
        this.remaining = this.head.readUInt32BE(0);
        if (this.remaining > MAX_FRAME_BYTES) throw new CopyRefused(`a frame larger than ${MAX_FRAME_BYTES} bytes`);
        this.rows += this.head.readUInt32BE(4);
        this.head = Buffer.alloc(0);
      }
    }
  }
}

function* parseLines(lines: Generator<string>): Generator<SnapshotLine> {
  for (const line of lines) if (line) yield JSON.parse(line) as SnapshotLine;
}
