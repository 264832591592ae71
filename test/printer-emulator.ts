import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { formatHostStatus, type PrinterStatus } from '../drivers/printer/status';

/**
 * A label printer on 127.0.0.1, as a Zebra printer behaves on port 9100: it answers `~HS`
 * (unless told to stay silent), prints each format when its `^XZ` arrives, and throws away a
 * format that a dropped connection cut short.
 */
export class PrinterEmulator {
  printed: string[] = [];
  status: Partial<PrinterStatus> = {};
  silent = false;
  /** Drop the next connection once this many bytes of a job have arrived. */
  dropAfterBytes: number | null = null;
  connections = 0;
  private server: Server;
  private sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((socket) => this.serve(socket));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  /** Feeds bytes as if they came over a line; returns the answers to send back. Used by the serial emulator too. */
  receive(state: { buffer: string; jobBytes: number }, chunk: string, drop: () => void): string {
    let out = '';
    state.buffer += chunk;
    for (;;) {
      const hs = state.buffer.indexOf('~HS');
      const start = state.buffer.indexOf('^XA');
      if (hs >= 0 && (start < 0 || hs < start)) {
        state.buffer = state.buffer.slice(hs + 3);
        if (!this.silent) out += formatHostStatus(this.status);
        continue;
      }
      if (start >= 0) {
        state.jobBytes += chunk.length;
        if (this.dropAfterBytes !== null && state.jobBytes >= this.dropAfterBytes) {
          this.dropAfterBytes = null;
          state.buffer = '';
          drop();
          return out;
        }
        const end = state.buffer.indexOf('^XZ', start);
        if (end < 0) return out;
        this.printed.push(state.buffer.slice(start, end + 3));
        state.buffer = state.buffer.slice(end + 3);
        continue;
      }
      return out;
    }
  }

  private serve(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const state = { buffer: '', jobBytes: 0 };
    socket.on('data', (b) => {
      const answer = this.receive(state, b.toString('utf8'), () => socket.destroy());
      if (answer && !socket.destroyed) socket.write(answer);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
