import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A real serial line: a socat pty pair. The station opens `station`; the test writes into `scanner`. */
export interface PtyPair {
  station: string;
  scanner: string;
  /** Writes bytes as a scanner would. */
  write(bytes: string | Uint8Array): void;
  /** Ends socat, like pulling the scanner's cable. */
  unplug(): Promise<void>;
  /** Starts socat again with the same device names, like plugging it back in. */
  plug(): Promise<void>;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function ptyPair(dir: string): Promise<PtyPair> {
  const station = join(dir, 'ttyStation');
  const scanner = join(dir, 'ttyScanner');
  let proc: ChildProcess | null = null;
  let fd: number | null = null;
  const plug = async () => {
    proc = spawn('socat', [`pty,raw,echo=0,link=${station}`, `pty,raw,echo=0,link=${scanner}`], { stdio: 'ignore' });
    await until(() => existsSync(station) && existsSync(scanner));
    fd = openSync(scanner, 'r+');
  };
  const unplug = async () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    const p = proc;
    proc = null;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    }
    await until(() => !existsSync(station));
  };
  await plug();
  return {
    station,
    scanner,
    write(bytes) {
      if (fd === null) throw new Error('unplugged');
      writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    },
    unplug,
    plug,
  };
}
