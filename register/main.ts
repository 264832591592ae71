/**
 * `npm run register -- [command]`: the central register.
 *   serve [--data-dir D] [--host 127.0.0.1] [--port 8740] [--silent-after-hours 24]   (the default command; the console at /console/)
 *   code --site <site code> --name <station name>            prints a one-time enrolment code
 *   revoke <station id>                                      withdraws a station's access
 *   stations                                                 lists enrolled stations
 *   check                                                    checks that stock equals the sum of the movements
 *   unlock <user id>                                         lifts the user's sign-in locks at every station of their site
 *   backup <file>                                            an online copy of the SQLite database (on PostgreSQL: pg_dump)
 *   restored                                                 after the database was put back from a backup, every node stopped:
 *                                                            starts the register's history over, so every station takes a full copy
 *   import <file>… [--apply] [--report F] [--encoding windows-1252]
 *                                                            reads the region's CSV/XLSX files: shows what would change; --apply writes it
 *   export <dir>                                             writes stock, movements and rental periods as CSV for the region's system
 * With DATABASE_URL set it runs on PostgreSQL; otherwise on SQLite in the data dir
 * (`--data-dir`, `REGISTER_DATA_DIR`, default `./register-data`). A first start loads the demo data.
 * On SQLite the database is encrypted under the key in `register.key` in the data dir, or in the
 * file `--key-file` / `REGISTER_KEY_FILE` names (another volume than the database's backups). The
 * PIN pepper is in `register.pepper` in the data dir, or `--pepper-file` / `REGISTER_PEPPER_FILE`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SIZE, seedDataset } from '../db/demo/generate';
import { isDepotError } from '../vocabulary/errors';
import { openStationDb } from '../db/open';
import { keepPinPepper } from '../db/pepper';
import { serveRegister } from './http';
import { Register, RegisterError } from './register';
import { pepperFileIn, registerPepper } from './pepper';
import { importFromStation } from './seed';
import { copyRegister, openRegisterDb } from './store';
import { importFiles, importSummary } from './import/apply';
import { exportFiles } from './import/export';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const command = argv[0] && !argv[0].startsWith('--') ? argv[0] : 'serve';
const dataDir = flag('data-dir') ?? process.env.REGISTER_DATA_DIR ?? 'register-data';
const url = process.env.DATABASE_URL;

const keyFile = flag('key-file') ?? process.env.REGISTER_KEY_FILE;

/**
 * A number option from the command line or the environment, from 0 to `max`: one it cannot use stops
 * the node at start, in both languages, before anything is written.
 */
function numberOption(name: string, env: string, fallback: number, max: number, words: { sv: string; en: string }): number {
  const given = flag(name) ?? process.env[env];
  const value = given === undefined || given.trim() === '' ? fallback : Number(given);
  if (Number.isFinite(value) && value >= 0 && value <= max) return value;
  console.error(`--${name} (${env}) ${words.sv}`);
  console.error(`--${name} (${env}) ${words.en}`);
  process.exit(2);
}

// How long a node gives the full copy it made for a station to the next one asking for the same
// copy (register/made-copies.ts), in minutes, and how many changes behind the register it may be; 0 keeps none.
const madeCopyMinutes = numberOption('made-copy-minutes', 'REGISTER_MADE_COPY_MINUTES', 60, 1440, {
  sv: 'är ett antal minuter från 0 (behåll ingen kopia) till 1440.',
  en: 'is a number of minutes from 0 (keep no copy) to 1440.',
});
const madeCopyChanges = Math.floor(
  numberOption('made-copy-changes', 'REGISTER_MADE_COPY_CHANGES', 10_000, 500_000, {
    sv: 'är ett antal ändringar från 0 (behåll ingen kopia) till 500000.',
    en: 'is a number of changes from 0 (keep no copy) to 500000.',
  }),
);

const db = await openRegisterDb(url ? { databaseUrl: url } : { dataDir, keyFile }).catch((e: unknown) => {
  // Files others can reach, a missing or wrong key: what to do, in both languages, without a stack.
  if (!isDepotError(e)) throw e;
  console.error(`${e.userMessage.sv}\n${e.userMessage.en}`);
  process.exit(1);
});
const pepperFile = flag('pepper-file') ?? process.env.REGISTER_PEPPER_FILE ?? pepperFileIn(dataDir);
const pinPepper = await registerPepper(db, pepperFile).catch((e: unknown) => {
  if (!isDepotError(e)) throw e;
  console.error(`${e.userMessage.sv}\n${e.userMessage.en}`);
  process.exit(1);
});
const register = await Register.open(db, { pinPepper, madeCopyMs: madeCopyMinutes * 60_000, madeCopyChanges });

/** Register nodes starting together on one PostgreSQL database: one loads the demo data, the others wait and find it there. */
const loadDemoDataIfEmpty = () => register.db.alone(loadDemoData);

async function loadDemoData(): Promise<void> {
  const [row] = await register.db.all<{ n: number }>("select count(*) as n from entities where kind = 'site'");
  if (Number(row!.n) > 0) return;
  console.log('First start: loading the demo data into the register…');
  const dir = join(dataDir, 'demo-source');
  rmSync(dir, { recursive: true, force: true });
  const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  try {
    // The demo users' PINs are hashed with the register's pepper.
    keepPinPepper(store, pinPepper);
    seedDataset(store, DEMO_SIZE);
    await importFromStation(register, store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

switch (command) {
  case 'serve': {
    await loadDemoDataIfEmpty();
    // Behind a TLS-terminating proxy: its address, so the enrolment limit counts each client, not the proxy.
    const trustProxy = (flag('trust-proxy') ?? process.env.REGISTER_TRUST_PROXY ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    // The console flags a station silent when the register has not heard from it for this long.
    const silentHours = Number(flag('silent-after-hours') ?? process.env.REGISTER_SILENT_AFTER_HOURS ?? 24);
    if (!Number.isFinite(silentHours) || silentHours <= 0) {
      console.error('--silent-after-hours is a number of hours above 0.');
      process.exit(2);
    }
    const running = await serveRegister(register, { host: flag('host') ?? '127.0.0.1', port: Number(flag('port') ?? 8740), trustProxy, console: { silentAfterMs: silentHours * 3_600_000 } });
    console.log(`Depot Station register on ${running.url} (${url ? 'PostgreSQL' : `SQLite in ${dataDir}`})`);
    console.log(`The console for administrators and supervisors: ${running.url}/console/`);
    console.log('Enrol a station: npm run register -- code --site BOD --name "Skanningsstation 2"');
    // The register checks its own stock against its ledger at start and once a day, and says so in its log.
    const checkLedger = () =>
      register
        .verifyLedger()
        .then((r) => (r.ok ? console.log(`Stock agrees with the movements (${r.places} places).`) : console.error(`Stock disagrees with the movements in ${r.differences.length} places: run npm run register -- check`)))
        .catch((e: unknown) => console.error('the stock check could not run', e));
    void checkLedger();
    const daily = setInterval(() => void checkLedger(), 86_400_000);
    daily.unref();
    const stop = async () => {
      clearInterval(daily);
      await running.close();
      await register.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    break;
  }
  case 'code': {
    await loadDemoDataIfEmpty();
    const siteCode = flag('site') ?? 'BOD';
    const [site] = await register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like $1", [`%"code":"${siteCode}"%`]);
    if (!site) {
      console.error(`No site with code ${siteCode}.`);
      process.exit(1);
    }
    const code = await register.createEnrolmentCode({ stationName: flag('name') ?? `Station ${siteCode}`, siteId: site.id });
    console.log(code);
    await register.close();
    break;
  }
  case 'revoke': {
    const ok = await register.revoke(argv[1] ?? '');
    console.log(ok ? 'Revoked.' : 'No such station, or already revoked.');
    await register.close();
    process.exit(ok ? 0 : 1);
    break;
  }
  case 'stations': {
    for (const s of await register.stations()) console.log(`${s.id}  ${s.name}  last entry ${s.lastApplied}${s.revokedAt ? '  (revoked)' : ''}`);
    await register.close();
    break;
  }
  case 'check': {
    const result = await register.verifyLedger();
    await register.close();
    if (result.ok) console.log(`Stock agrees with the movements: ${result.places} places, ${result.movements} movements.`);
    else {
      console.error(`Stock disagrees with the movements in ${result.differences.length === 100 ? '100 or more' : result.differences.length} of ${result.places} places:`);
      for (const d of result.differences) console.error(`  article ${d.articleId}  location ${d.locationId}  lot ${d.lot || '-'}  stock ${d.balance}  movements ${d.movements}`);
    }
    process.exit(result.ok ? 0 : 1);
    break;
  }
  case 'unlock': {
    try {
      const { siteId } = await register.unlockSignIn(argv[1] ?? '');
      console.log(`Unlocked: the stations of site ${siteId} lift the user's sign-in locks at their next sync.`);
    } catch (e) {
      if (!(e instanceof RegisterError)) throw e;
      console.error(e.userMessage.en);
      await register.close();
      process.exit(1);
    }
    await register.close();
    break;
  }
  case 'restored': {
    // A data dir or database named wrong holds no register: nothing there to start over.
    const [sites] = await register.db.all<{ n: number }>("select count(*) as n from entities where kind = 'site'");
    if (Number(sites!.n) === 0) {
      await register.close();
      console.error('Här finns inget register (inga förråd): kontrollera --data-dir eller DATABASE_URL.');
      console.error('There is no register here (no sites): check --data-dir or DATABASE_URL.');
      process.exit(1);
    }
    await Register.startHistoryOver(register.db);
    await register.close();
    console.log('Registrets historik börjar om: varje station hämtar en hel kopia vid nästa synkning. Starta registrets noder igen och läs in regionens filer som lästes in efter säkerhetskopian på nytt.');
    console.log('The register’s history starts over: every station takes a full copy at its next sync. Start the register nodes again, and import again the region’s files imported after the backup was made.');
    break;
  }
  case 'backup': {
    await register.close();
    if (url) {
      console.error('The register is on PostgreSQL: back it up with pg_dump (see the README), e.g. pg_dump --format=custom --file=register.dump "$DATABASE_URL".');
      process.exit(2);
    }
    const target = argv[1];
    if (!target) {
      console.error('Say where the copy goes: npm run register -- backup /backups/register-2026-12-02.sqlite');
      process.exit(2);
    }
    try {
      await copyRegister({ dataDir, keyFile }, target);
    } catch (e) {
      if (!isDepotError(e)) throw e;
      console.error(e.userMessage.en);
      process.exit(1);
    }
    console.log(`Copied the register to ${target} (encrypted under the same key; keep the key elsewhere).`);
    break;
  }
  case 'import': {
    const files = argv.slice(1).filter((a, i, all) => !a.startsWith('--') && !['--report', '--encoding', '--data-dir', '--key-file', '--pepper-file'].includes(all[i - 1] ?? ''));
    if (files.length === 0) {
      console.error('Name the files: npm run register -- import artiklar.csv individer.csv ordrar.csv (or one .xlsx) [--apply]');
      process.exit(2);
    }
    const encoding = flag('encoding');
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'windows-1252') {
      console.error('--encoding is utf-8 (the default) or windows-1252.');
      process.exit(2);
    }
    await loadDemoDataIfEmpty();
    try {
      const started = Date.now();
      const result = await importFiles(register, files, { apply: argv.includes('--apply'), report: flag('report'), encoding });
      console.log(importSummary(result, Date.now() - started));
      await register.close();
      process.exit(result.rejected.length ? 1 : 0);
    } catch (e) {
      if (!(e instanceof RegisterError)) throw e;
      console.error(`${e.userMessage.sv}\n${e.userMessage.en}`);
      await register.close();
      process.exit(1);
    }
    break;
  }
  case 'export': {
    const dir = argv[1];
    if (!dir) {
      console.error('Say where the files go: npm run register -- export /srv/region/ut');
      process.exit(2);
    }
    const written = await exportFiles(register, dir, { since: flag('since') });
    for (const w of written) console.log(`${w.file}: ${w.rows} rows`);
    await register.close();
    break;
  }
  default:
    console.error(`Unknown command ${command}. Commands: serve, code, revoke, stations, check, unlock, backup, import, export.`);
    process.exit(2);
}
