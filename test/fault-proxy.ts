/**
 * A fault proxy on loopback, between stations and the register: a plain TCP relay that adds
 * latency, drops connections, resets them, loses acknowledgements (the request reaches the
 * register and commits; the answer never reaches the station), pauses the traffic while
 * something happens behind it (the register restarts), or goes down altogether.
 *
 * Faults come by count, never by chance or by the clock: each request is numbered as it arrives
 * (over all requests and over those to its path) and `fate` decides from those numbers what
 * happens to it. So the same run of requests always meets the same faults, however fast the
 * machine is. A request starts when the station sends after the last answer began.
 */
import net from 'node:net';

/** What happens to one request. */
export type Fate = 'pass' | 'drop' | 'reset' | 'lostAck';

export interface RequestSeen {
  /** 1, 2, 3… over every request through the proxy. */
  n: number;
  method: string;
  /** Without the query string, e.g. `/sync/push`. */
  path: string;
  /** 1, 2, 3… over the requests to this path. */
  nOfPath: number;
}

export interface Faults {
  /** Added to every chunk in each direction (chunks keep their order). */
  latencyMs: number;
  /**
   * What happens to each request, decided when its first bytes arrive: `drop` closes the
   * connection before the request reaches the register, `reset` cuts the connection (RST) halfway
   * through the first part of the answer, `lostAck` throws the register's answer away (it has
   * committed; the station never hears of it). None: every request passes.
   */
  fate: ((r: RequestSeen) => Fate) | null;
  /**
   * A pause before each request `before` picks (whatever its fate): that request and every new
   * one wait, the requests already on their way get their answers, `run` runs (the register
   * restarts, say), then all go on. Pauses run one after the other.
   */
  pause: { before: (r: RequestSeen) => boolean; run: () => Promise<void> } | null;
  /** The network is away: every connection is refused at once. */
  down: boolean;
}

/** What befell the requests. */
export interface Tally {
  requests: number;
  dropped: number;
  reset: number;
  lostAcks: number;
}

export interface FaultStats extends Tally {
  connections: number;
  /** The same, by path. */
  paths: Record<string, Tally>;
  /** Pauses whose `run` has finished. */
  pauses: number;
  /** Bytes on the wire, station to register and back. */
  bytesUp: number;
  bytesDown: number;
}

export interface FaultProxy {
  url: string;
  faults: Faults;
  stats: FaultStats;
  /** Everything off (a pause under way still finishes). */
  heal(): void;
  /** Resolves when no pause is under way. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The request line of a request's first chunk: `POST /sync/push HTTP/1.1`. */
function requestLine(chunk: Buffer): { method: string; path: string } {
  const line = chunk.toString('latin1', 0, Math.min(chunk.length, 2048)).split('\r\n', 1)[0] ?? '';
  const [method = '', target = ''] = line.split(' ');
  return { method, path: target.split('?', 1)[0] ?? '' };
}

export async function startFaultProxy(targetPort: number, faults: Partial<Faults> = {}): Promise<FaultProxy> {
  const f: Faults = { latencyMs: 0, fate: null, pause: null, down: false, ...faults };
  const stats: FaultStats = { connections: 0, requests: 0, dropped: 0, reset: 0, lostAcks: 0, paths: {}, pauses: 0, bytesUp: 0, bytesDown: 0 };
  const count = (path: string, what: keyof Tally) => {
    stats[what]++;
    return ++(stats.paths[path] ??= { requests: 0, dropped: 0, reset: 0, lostAcks: 0 })[what];
  };
  const sockets = new Set<net.Socket>();

  /** One direction of one connection: each step held back `latencyMs`, in the order given. */
  const lane = () => {
    const queue: { at: number; fn: () => void }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      timer = null;
      while (queue.length > 0 && queue[0]!.at <= Date.now()) queue.shift()!.fn();
      if (queue.length > 0) timer = setTimeout(pump, queue[0]!.at - Date.now());
    };
    return (fn: () => void) => {
      if (queue.length === 0 && f.latencyMs <= 0) return fn();
      queue.push({ at: Math.max(Date.now() + f.latencyMs, queue.at(-1)?.at ?? 0), fn });
      timer ??= setTimeout(pump, Math.max(0, queue[0]!.at - Date.now()));
    };
  };

  // Requests passed on to the register that have no answer yet; a pause waits until there are none.
  let outstanding = 0;
  const quietWaiters: (() => void)[] = [];
  const quiet = () => (outstanding === 0 ? Promise.resolve() : new Promise<void>((resolve) => quietWaiters.push(resolve)));
  const answered = () => {
    if (--outstanding === 0) for (const w of quietWaiters.splice(0)) w();
  };
  let gate: Promise<void> = Promise.resolve();
  let pausing = 0;
  const startPause = (run: () => Promise<void>) => {
    pausing++;
    gate = gate
      .then(async () => {
        await quiet();
        await run();
        stats.pauses++;
      })
      .catch(() => undefined)
      .finally(() => void pausing--);
  };
  const whenOpen = (fn: () => void) => (pausing > 0 ? void gate.then(fn) : fn());

  const server = net.createServer((client) => {
    stats.connections++;
    sockets.add(client);
    client.on('error', () => undefined);
    if (f.down) {
      client.resetAndDestroy();
      return;
    }
    const toRegister = lane();
    const toStation = lane();
    // Each request goes to the register on a connection of its own, so no answer of an earlier one, nor its close, mixes in.
    let upstream: net.Socket | null = null;
    let fate: Fate = 'pass';
    let path = '';
    // idle: no request yet; waiting: held at a pause; sent: passed on, no answer yet; answering: the answer has begun.
    let phase: 'idle' | 'waiting' | 'sent' | 'answering' = 'idle';
    let held: Buffer[] = [];

    const settle = () => {
      if (phase !== 'sent') return;
      phase = 'answering';
      answered();
    };
    const send = (up: net.Socket, chunk: Buffer) => toRegister(() => up.destroyed || up.write(chunk));
    const connect = () => {
      upstream?.destroy();
      const up = net.connect({ host: '127.0.0.1', port: targetPort });
      upstream = up;
      sockets.add(up);
      up.on('error', () => undefined);
      up.on('close', () => {
        sockets.delete(up);
        if (upstream !== up) return;
        upstream = null;
        if (phase === 'sent') {
          settle();
          client.resetAndDestroy();
        } else if (phase === 'answering')
          // The answer may have been cut short: the station must not wait for the rest. (Once it sends again, the answer was whole.)
          // Ended, not destroyed: what the register sent before it closed still reaches the station (a whole answer the
          // station reads slower than the register sent it, the register's idle connection closing meanwhile).
          toStation(() => phase === 'answering' && upstream === null && client.end());
      });
      up.on('data', (chunk) => {
        if (upstream !== up) return;
        if (phase === 'sent') {
          settle();
          if (fate === 'lostAck') {
            // The register has answered, so it has committed: the station never hears of it.
            count(path, 'lostAcks');
            upstream = null;
            up.destroy();
            client.resetAndDestroy();
            return;
          }
          if (fate === 'reset') {
            count(path, 'reset');
            upstream = null;
            up.destroy();
            toStation(() => {
              if (client.destroyed) return;
              client.write(chunk.subarray(0, Math.floor(chunk.length / 2)));
              client.resetAndDestroy();
            });
            return;
          }
        }
        stats.bytesDown += chunk.length;
        toStation(() => client.destroyed || client.write(chunk));
      });
      return up;
    };
    const forward = () => {
      if (client.destroyed || phase !== 'waiting') return;
      const up = connect();
      phase = 'sent';
      outstanding++;
      for (const chunk of held.splice(0)) send(up, chunk);
    };

    client.on('close', () => {
      sockets.delete(client);
      settle();
      phase = 'idle';
      upstream?.destroy();
    });
    client.on('data', (chunk) => {
      stats.bytesUp += chunk.length;
      if (phase === 'waiting') {
        held.push(chunk);
        return;
      }
      if (phase === 'sent') {
        if (upstream) send(upstream, chunk);
        return;
      }
      // A new request.
      const line = requestLine(chunk);
      path = line.path;
      const nOfPath = count(path, 'requests');
      const r: RequestSeen = { n: stats.requests, method: line.method, path, nOfPath };
      if (f.pause?.before(r)) startPause(f.pause.run);
      fate = f.down ? 'drop' : (f.fate?.(r) ?? 'pass');
      if (fate === 'drop') {
        count(path, 'dropped');
        client.resetAndDestroy();
        return;
      }
      phase = 'waiting';
      held = [chunk];
      whenOpen(forward);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    faults: f,
    stats,
    heal() {
      Object.assign(f, { latencyMs: 0, fate: null, pause: null, down: false });
    },
    settled: async () => {
      while (pausing > 0) await gate;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
