/**
 * A USB HID scanner through node-hid: HID POS reports or boot-keyboard reports, turned into Scan
 * events. The `data` handler (`onReport`) is the one path every report takes. When the device
 * goes away the scanner keeps trying to open it again, and no device error ever escapes.
 */
import { EventEmitter } from 'node:events';
import { BootKeyboardDecoder, type KeyboardLayout } from './hid-keyboard';
import { HID_POS_LAYOUTS, HidPosAssembler } from './hid-pos';
import { toScan, type Scan } from '../../vocabulary/codes/scan';
import { REOPEN_MS, type DeviceState, type DeviceStatus } from './serial';

export interface HidScannerConfig {
  path: string;
  mode: 'pos' | 'keyboard';
  posLayout?: keyof typeof HID_POS_LAYOUTS;
  keyboardLayout?: KeyboardLayout;
}

/** What the scanner needs of an open HID device: node-hid's HIDAsync fits. */
export interface HidHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  removeAllListeners(): unknown;
  close(): Promise<void> | void;
}

export type OpenHid = (path: string) => Promise<HidHandle>;

/** Opens a device with node-hid, loaded only when a HID scanner is used. */
export const openWithNodeHid: OpenHid = async (path) => {
  const { HIDAsync } = await import('node-hid');
  return HIDAsync.open(path, { nonExclusive: true });
};

interface Events {
  scan: [Scan];
  status: [DeviceStatus];
}

const utf8 = new TextDecoder('utf-8');

export class HidScanner extends EventEmitter<Events> {
  private device: HidHandle | null = null;
  private reopen: NodeJS.Timeout | null = null;
  private stopped = true;
  private state: DeviceState = 'stopped';
  private readonly pos: HidPosAssembler | null;
  private readonly keyboard: BootKeyboardDecoder | null;

  constructor(
    readonly config: HidScannerConfig,
    private readonly open: OpenHid = openWithNodeHid,
  ) {
    super();
    this.pos = config.mode === 'pos' ? new HidPosAssembler(HID_POS_LAYOUTS[config.posLayout ?? 'standard']!) : null;
    this.keyboard = config.mode === 'keyboard' ? new BootKeyboardDecoder(config.keyboardLayout ?? 'sv') : null;
  }

  get status(): DeviceStatus {
    return { device: this.config.path, state: this.state };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reopen) clearTimeout(this.reopen);
    await this.drop();
    this.setState('stopped');
  }

  private setState(state: DeviceState, error?: string): void {
    if (state === this.state && !error) return;
    this.state = state;
    this.emit('status', { device: this.config.path, state, ...(error ? { error } : {}) });
  }

  private async drop(): Promise<void> {
    const d = this.device;
    this.device = null;
    if (!d) return;
    d.removeAllListeners();
    d.on('error', () => undefined);
    try {
      await d.close();
    } catch {
      // already gone
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    try {
      const d = await this.open(this.config.path);
      if (this.stopped) {
        await d.close();
        return;
      }
      this.device = d;
      this.pos?.reset();
      this.keyboard?.reset();
      d.on('data', (report) => this.onReport(report));
      d.on('error', (e) => void this.retry(e.message));
      this.setState('open');
    } catch (e) {
      await this.retry((e as Error).message);
    }
  }

  private async retry(error: string): Promise<void> {
    if (this.stopped) return;
    await this.drop();
    this.setState('disconnected', error);
    if (!this.reopen)
      this.reopen = setTimeout(() => {
        this.reopen = null;
        void this.connect();
      }, REOPEN_MS);
  }

  /** Every report node-hid delivers comes through here. */
  onReport(report: Uint8Array, now = Date.now()): void {
    if (this.pos) {
      const { scan } = this.pos.push(report);
      if (scan) this.emit('scan', toScan(utf8.decode(scan.data), 'hid-pos', this.config.path, now, scan.aim ?? undefined));
    } else if (this.keyboard) {
      const text = this.keyboard.push(report);
      if (text !== null && text.length > 0) this.emit('scan', toScan(text, 'hid-keyboard', this.config.path, now));
    }
  }
}
