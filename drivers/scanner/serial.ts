/**
 * A scanner on a serial port (or a USB scanner in serial/CDC mode). Thin I/O around the pure
 * framer: opens the port, turns bytes into Scan events, and when the port goes away (unplugged,
 * powered off) keeps trying to open it again, so a replugged scanner works within a second or so.
 * Never throws to its owner: trouble becomes a status event.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { Framer, type Framing } from './framing';
import { toScan, type Scan } from '../../vocabulary/codes/scan';

export interface SerialScannerConfig {
  path: string;
  baudRate: number;
  framing: Framing;
}

export type DeviceState = 'connecting' | 'open' | 'disconnected' | 'stopped';

export interface DeviceStatus {
  device: string;
  state: DeviceState;
  error?: string;
}

interface Events {
  scan: [Scan];
  status: [DeviceStatus];
  noise: [number];
}

export const REOPEN_MS = 500;

export class SerialScanner extends EventEmitter<Events> {
  private port: SerialPort | null = null;
  private readonly framer: Framer;
  private reopen: NodeJS.Timeout | null = null;
  private quiet: NodeJS.Timeout | null = null;
  private stopped = true;
  private state: DeviceState = 'stopped';

  constructor(readonly config: SerialScannerConfig) {
    super();
    this.framer = new Framer(config.framing);
  }

  get status(): DeviceStatus {
    return { device: this.config.path, state: this.state };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reopen) clearTimeout(this.reopen);
    if (this.quiet) clearTimeout(this.quiet);
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((done) => port.close(() => done()));
    this.setState('stopped');
  }

  private setState(state: DeviceState, error?: string): void {
    if (state === this.state && !error) return;
    this.state = state;
    this.emit('status', { device: this.config.path, state, ...(error ? { error } : {}) });
  }

  private open(): void {
    if (this.stopped) return;
    this.setState('connecting');
    let port: SerialPort;
    try {
      port = new SerialPort({ path: this.config.path, baudRate: this.config.baudRate, autoOpen: false });
    } catch (e) {
      this.retry((e as Error).message);
      return;
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', (e: Error) => this.retry(e.message));
    port.on('close', () => this.retry('closed'));
    port.open((e) => {
      if (e) this.retry(e.message);
      else {
        this.framer.reset();
        this.setState('open');
      }
    });
  }

  private retry(error: string): void {
    if (this.stopped) return;
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => undefined);
      if (port.isOpen) port.close(() => undefined);
    }
    this.setState('disconnected', error);
    if (!this.reopen)
      this.reopen = setTimeout(() => {
        this.reopen = null;
        this.open();
      }, REOPEN_MS);
  }

  /** The same path node-hid or serialport data takes; exposed for recorded-byte tests. */
  onData(chunk: Uint8Array, now = Date.now()): void {
    const { scans, dropped } = this.framer.push(chunk, now);
    if (dropped) this.emit('noise', dropped);
    for (const s of scans) this.emit('scan', toScan(s, 'serial', this.config.path, now));
    if (this.framer.pending && this.config.framing.suffix === 'none') {
      if (this.quiet) clearTimeout(this.quiet);
      const wait = this.config.framing.interByteTimeoutMs ?? 50;
      this.quiet = setTimeout(() => {
        for (const s of this.framer.flush(Date.now()).scans) this.emit('scan', toScan(s, 'serial', this.config.path));
      }, wait + 1);
    }
  }
}
