/**
 * A fault proxy on loopback, between stations and the register: a plain TCP relay that adds
 * latency, drops connections, resets them, loses acknowledgements (the request reaches the
 * register and commits; the answer never reaches the station), or goes down altogether.
 * Faults are rolled per request: a request starts when the station sends after the last answer.
 */
import net from 'node:net';

export interface Faults {
  /** Added to every chunk in each direction. */
  latencyMs: number;
  /** Chance a request's connection is closed before the request reaches the register. */
  drop: number;
  /** Chance a connection is reset (RST) partway through an answer. */
  reset: number;
  /** Chance the register's answer is thrown away (connection reset) after it has committed. */
  lostAck: number;
  /** The network is away: every connection is refused at once. */
  down: boolean;
}

export interface FaultStats {
  connections: number;
  requests: number;
  dropped: number;
  reset: number;
  lostAcks: number;
  /** Bytes on the wire, station to register and back. */
  bytesUp: number;
  bytesDown: number;
}

export interface FaultProxy {
  url: string;
  faults: Faults;
  stats: FaultStats;
  /** Everything off. */
  heal(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number, faults: Partial<Faults> = {}, random: () => number = Math.random): Promise<FaultProxy> {
  const f: Faults = { latencyMs: 0, drop: 0, reset: 0, lostAck: 0, down: false, ...faults };
  const stats: FaultStats = { connections: 0, requests: 0, dropped: 0, reset: 0, lostAcks: 0, bytesUp: 0, bytesDown: 0 };
  const sockets = new Set<net.Socket>();
  const later = (fn: () => void) => (f.latencyMs > 0 ? setTimeout(fn, f.latencyMs) : fn());

  const server = net.createServer((client) => {
    stats.connections++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (f.down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!client.destroyed) client.destroy();
    });
    upstream.on('error', () => client.destroyed || client.resetAndDestroy());
    client.on('close', () => upstream.destroy());

    // Per request: what happens to it, decided when its first bytes arrive.
    let fate: 'pass' | 'reset' | 'lostAck' = 'pass';
    let inRequest = false;
    client.on('data', (chunk) => {
      if (!inRequest) {
        inRequest = true;
        stats.requests++;
        const r = random();
        if (f.down || r < f.drop) {
          stats.dropped++;
          client.resetAndDestroy();
          return;
        }
        fate = r < f.drop + f.lostAck ? 'lostAck' : r < f.drop + f.lostAck + f.reset ? 'reset' : 'pass';
      }
      stats.bytesUp += chunk.length;
      later(() => upstream.destroyed || upstream.write(chunk));
    });
    upstream.on('data', (chunk) => {
      inRequest = false;
      if (fate === 'lostAck') {
        // The register has answered, so it has committed: the station never hears of it.
        stats.lostAcks++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (fate === 'reset') {
        stats.reset++;
        later(() => {
          if (client.destroyed) return;
          client.write(chunk.subarray(0, Math.floor(chunk.length / 2)));
          client.resetAndDestroy();
          upstream.destroy();
        });
        return;
      }
      stats.bytesDown += chunk.length;
      later(() => client.destroyed || client.write(chunk));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    faults: f,
    stats,
    heal() {
      Object.assign(f, { latencyMs: 0, drop: 0, reset: 0, lostAck: 0, down: false });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
