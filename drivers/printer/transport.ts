/**
 * Sending a label to a printer, over raw TCP (port 9100 style) or a serial line. One attempt:
 * open, ask `~HS`, and only if the printer is ready send the job followed by another `~HS`. The
 * printer reads its input in order, so its second answer proves it has the whole job; only then
 * does the attempt count as printed. A job cut off mid-way never reaches its `^XZ`, and the printer
 * discards it, so trying again prints it once.
 */
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { faultOf, parseHostStatus, type PrinterFault, type PrinterStatus } from './status';

export type PrinterConnection = { kind: 'tcp'; host: string; port: number } | { kind: 'serial'; path: string; baudRate: number };

export type AttemptResult = { ok: true; status: PrinterStatus } | { ok: false; fault: PrinterFault | 'unreachable' | 'connection_lost'; detail: string };

export interface AttemptOptions {
  /** How long to wait for the printer to connect or to answer `~HS`. */
  timeoutMs?: number;
}

function open(conn: PrinterConnection, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if (conn.kind === 'tcp') {
      const s = connect({ host: conn.host, port: conn.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`no connection to ${conn.host}:${conn.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    } else {
      const p = new SerialPort({ path: conn.path, baudRate: conn.baudRate, autoOpen: false });
      p.open((e) => (e ? reject(e) : resolve(p)));
    }
  });
}

/** Collects what the printer sends, so an answer can be waited for. */
class Answers {
  private text = '';
  private waiting: (() => void) | null = null;
  closed = false;

  constructor(stream: Duplex) {
    stream.on('data', (b: Buffer) => {
      this.text += b.toString('latin1');
      this.waiting?.();
    });
    const end = () => {
      this.closed = true;
      this.waiting?.();
    };
    stream.on('close', end);
    stream.on('end', end);
    stream.on('error', end);
  }

  /** The next complete `~HS` answer after what has been read so far, or null on timeout or close. */
  async nextStatus(timeoutMs: number): Promise<PrinterStatus | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = parseHostStatus(this.text);
      if (s) {
        // Drop the answer just read (three STX…ETX strings).
        let cut = 0;
        for (let i = 0; i < 3; i++) cut = this.text.indexOf('\x03', cut) + 1;
        this.text = this.text.slice(cut);
        return s;
      }
      if (this.closed || Date.now() >= deadline) return null;
      await new Promise<void>((r) => {
        const t = setTimeout(r, deadline - Date.now());
        this.waiting = () => {
          clearTimeout(t);
          r();
        };
      });
      this.waiting = null;
    }
  }
}

const write = (s: Duplex, data: string) =>
  new Promise<void>((resolve, reject) => s.write(Buffer.from(data, 'utf8'), (e) => (e ? reject(e) : resolve())));

function close(s: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve();
    const t = setTimeout(() => {
      s.destroy();
      resolve();
    }, 1000);
    s.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    if (s instanceof SerialPort) s.close(() => undefined);
    else s.end();
  });
}

/** Asks the printer how it is, without sending anything to print. */
export async function askStatus(conn: PrinterConnection, options: AttemptOptions = {}): Promise<AttemptResult> {
  return attempt(conn, null, options);
}

/** One attempt at printing `zpl`. Never throws: every way it can fail is a result. */
export async function printOnce(conn: PrinterConnection, zpl: string, options: AttemptOptions = {}): Promise<AttemptResult> {
  return attempt(conn, zpl, options);
}

async function attempt(conn: PrinterConnection, zpl: string | null, options: AttemptOptions): Promise<AttemptResult> {
  const timeoutMs = options.timeoutMs ?? 3000;
  let stream: Duplex;
  try {
    stream = await open(conn, timeoutMs);
  } catch (e) {
    return { ok: false, fault: 'unreachable', detail: (e as Error).message };
  }
  stream.on('error', () => undefined);
  const answers = new Answers(stream);
  try {
    await write(stream, '~HS');
    const before = await answers.nextStatus(timeoutMs);
    const fault = faultOf(before);
    if (fault) return { ok: false, fault, detail: before ? 'printer reports a fault' : 'no answer to ~HS' };
    if (zpl === null) return { ok: true, status: before! };
    await write(stream, `${zpl}~HS`);
    const after = await answers.nextStatus(timeoutMs);
    if (!after) return { ok: false, fault: 'connection_lost', detail: 'the printer did not confirm the whole job' };
    return { ok: true, status: after };
  } catch (e) {
    return { ok: false, fault: 'connection_lost', detail: (e as Error).message };
  } finally {
    await close(stream);
  }
}
