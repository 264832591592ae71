/**
 * `npm run cli -- <command> …`: the station from the command line, for diagnosis and scripts.
 *   parse-scan <raw>   decode what a scanner sends; `\x1d` in the argument stands for GS (FNC1).
 *                      Prints JSON; exits 2 when the input cannot be decoded.
 *   label <individual|location|pallet|return> <code> [--format zpl|pdf] [--dpi 203|300] [--data-dir <dir>]
 *                      writes the label to stdout. A pallet label takes the SSCC and, optionally,
 *                      --to, --municipality, --route, --day and --content (repeatable).
 *   backup [--data-dir <dir>]
 *                      an online copy of the database into <dir>/backups now (the seven newest kept).
 *   restore <backup file> [--data-dir <dir>]
 *                      with the station stopped: checks the copy (integrity, audit chain) and puts it
 *                      in place of the database, which is kept as depot.sqlite.before-restore-<time>.
 */
import { backupNow, restoreBackup } from '../db/backup';
import { isDepotError } from '../vocabulary/errors';
import { individualLabelData, locationLabelData, returnLabelData } from '../db/labels/data';
import { DEMO_SIZE, seedDataset } from '../db/demo/generate';
import { openStationDb } from '../db/open';
import { isStationSetUp } from '../db/station';
import { resolveDataDir } from '../db/paths';
import { LABEL_SIZES, individualLabel, locationLabel, palletLabel, returnLabel, type Dpi, type LabelKind } from '../vocabulary/zpl';
import { decodeScan } from '../vocabulary/codes/decode';
import { zplToPdf } from '../documents/labels';

/** `\x1d`, `\r`, `\n` and `\t` written out in an argument stand for the characters themselves. */
export function unescapeArgument(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})|\\([rnt\\])/g, (_, hex: string | undefined, c: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : c === 'r' ? '\r' : c === 'n' ? '\n' : c === 't' ? '\t' : '\\',
  );
}

export function parseScanCommand(arg: string): { output: unknown; exitCode: number } {
  const d = decodeScan(unescapeArgument(arg));
  if (!d.ok) return { output: { error: d.error }, exitCode: 2 };
  const { aim, symbology, text, content } = d.value;
  const { kind, ...fields } = content;
  return { output: { symbology, aim, kind, text, ...fields }, exitCode: 0 };
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const options = (args: string[], name: string): string[] => args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));

/** The ZPL of one label; reads the station database for everything but pallets. */
export function labelZpl(kind: LabelKind, code: string, args: string[]): string {
  const dpi = (Number(option(args, 'dpi') ?? 203) === 300 ? 300 : 203) as Dpi;
  if (kind === 'pallet')
    return palletLabel(
      {
        // As the label's barcode reads it: with or without the application identifier 00.
        sscc: /^00\d{18}$/.test(code) ? code.slice(2) : code,
        from: { name: 'Centralförrådet Boden', municipality: 'Boden' },
        to: { deliveryPoint: option(args, 'to') ?? '', municipality: option(args, 'municipality') ?? '' },
        route: option(args, 'route') ?? '',
        deliveryDay: option(args, 'day') ?? '',
        contents: options(args, 'content'),
        itemCount: options(args, 'content').length,
      },
      dpi,
    );
  const store = openStationDb({ dataDir: resolveDataDir(args), quickCheck: 'skip' });
  try {
    // Like a first start of the app: an empty data dir gets the demo data.
    if (!isStationSetUp(store)) seedDataset(store, DEMO_SIZE);
    if (kind === 'individual') return individualLabel(individualLabelData(store, code), dpi);
    if (kind === 'location') return locationLabel(locationLabelData(store, code), dpi);
    return returnLabel(returnLabelData(store, code, option(args, 'order') ?? '', option(args, 'point') ?? '', option(args, 'municipality') ?? ''), dpi);
  } finally {
    store.close();
  }
}

const USAGE = `Usage:
  npm run cli -- parse-scan <raw>          (\\x1d stands for GS)
  npm run cli -- label <individual|location|pallet|return> <code> [--format zpl|pdf] [--dpi 203|300] [--data-dir <dir>]
  npm run cli -- backup [--data-dir <dir>]
  npm run cli -- restore <backup file> [--data-dir <dir>]   (with the station stopped)`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'parse-scan' && args.length === 1) {
    const r = parseScanCommand(args[0]!);
    console.log(JSON.stringify(r.output, null, 2));
    process.exit(r.exitCode);
  }
  if (command === 'backup') {
    const store = openStationDb({ dataDir: resolveDataDir(args), quickCheck: 'skip' });
    console.log(await backupNow(store));
    store.close();
    process.exit(0);
  }
  if (command === 'restore' && args[0]) {
    try {
      const r = restoreBackup(resolveDataDir(args), args[0]);
      const chain = r.check.olderTrail ? 'made before keyed links: its trail is closed with a keyed entry now' : 'chain whole';
      console.log(`Restored ${args[0]} (${r.check.audit.entries} audit entries, ${chain}).${r.replaced ? ` The database it replaced is kept as ${r.replaced}.` : ''}`);
      process.exit(0);
    } catch (e) {
      console.error(isDepotError(e) ? e.userMessage.en : (e as Error).message);
      process.exit(2);
    }
  }
  const kind = args[0] as LabelKind;
  if (command === 'label' && kind in LABEL_SIZES && args[1]) {
    try {
      const zpl = labelZpl(kind, args[1], args.slice(2));
      if ((option(args, 'format') ?? 'zpl') === 'pdf') {
        const dpi = (Number(option(args, 'dpi') ?? 203) === 300 ? 300 : 203) as Dpi;
        process.stdout.write(await zplToPdf(zpl, LABEL_SIZES[kind], dpi, `${kind} ${args[1]}`));
      } else process.stdout.write(zpl);
      process.exit(0);
    } catch (e) {
      console.error(isDepotError(e) ? `${e.userMessage.sv}\n${e.userMessage.en}` : (e as Error).message);
      process.exit(2);
    }
  }
  console.error(USAGE);
  process.exit(64);
}
