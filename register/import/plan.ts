/**
 * What an import would change, worked out before anything does: every row validated (by the same
 * article rules as a supervisor's change at a station), compared with what the register holds,
 * and sorted into new, changed, unchanged and rejected with its reason. Pure: the register's state
 * comes in, the plan goes out; `apply.ts` writes it.
 *
 * Rows are matched by their numbers (article number, individual number, order number), so the same
 * file imported twice plans nothing the second time. A device the register already holds is never
 * moved by a file: where it is and in what state changes by a movement at a station, so a row that
 * says otherwise is reported, not applied.
 */
import { articleWrong, badGtin, countedDifferently, ISO_EDITION, searchName } from '../../db/stock/article-rules';
import { INDIVIDUAL_NUMBER, toGtin14 } from '../../vocabulary/codes/station-codes';
import { STATUS_WORDS, TRACKING_WORDS, YES_NO, unknownColumns, LAYOUT, type TableKind } from './layout';
import type { FileRow, Table } from './read';

type Row = Record<string, unknown>;

/** What the register holds that an import is checked against. */
export interface RegionState {
  sites: Map<string, Row>;
  /** Locations by code. */
  locations: Map<string, Row>;
  /** Articles by number. */
  articles: Map<string, Row>;
  /** Articles with stock or devices anywhere (how they are counted cannot change). */
  stocked: Set<string>;
  /** Individuals by number. */
  individuals: Map<string, Row>;
  /** `articleId|serial` of the individuals the register holds. */
  serials: Map<string, string>;
  /** Customer orders by number. */
  orders: Map<string, Row>;
  /** Orders something has been picked for (a file no longer changes them). */
  picked: Set<string>;
  /** GTINs and HIBC codes by the article id that has each. */
  codes: Map<string, string>;
  /** The individual numbers handed to stations in blocks, [from, to): a file's new device never takes one. */
  stationNumbers: [number, number];
}

export interface Rejection {
  file: string;
  sheet: string | null;
  row: number;
  column: string | null;
  value: string | null;
  sv: string;
  en: string;
}

export interface Change {
  kind: 'article' | 'individual' | 'customer_order';
  id: string;
  data: Row;
  /** null: new. */
  before: Row | null;
}

export interface Plan {
  changes: Change[];
  unchanged: Record<TableKind, number>;
  created: Record<TableKind, number>;
  updated: Record<TableKind, number>;
  rejected: Rejection[];
  rows: number;
}

/** Ids for what a file brings, given by the caller so a plan is the same however often it is made. */
export type NewId = (kind: Change['kind'], key: string) => string;

const clean = (s: string | undefined) => (s ?? '').trim();

class Reasons {
  readonly list: Rejection[] = [];
  constructor(private readonly table: Table) {}
  add(r: FileRow, column: string | null, sv: string, en: string): void {
    this.list.push({ file: this.table.file, sheet: this.table.sheet, row: r.row, column, value: column ? (cell(r, column) || null) : null, sv, en });
  }
}

/** A row's cell by the layout's column name (the reader keyed the cells by it, whatever case or spacing the header had). */
const cell = (r: FileRow, column: string): string => clean(r.cells[column]);

const same = (a: Row, b: Row, fields: readonly string[]) => fields.every((f) => JSON.stringify(a[f] ?? null) === JSON.stringify(b[f] ?? null));

const ARTICLE_FIELDS = ['article_number', 'name', 'search_name', 'iso_code', 'iso_edition', 'rentable', 'unit', 'supplier', 'purchase_price', 'tracking', 'equivalence_group', 'gtins', 'hibc'] as const;

/** A price in kronor as a Swedish file writes it (`1 249,50`, `1249.5`), in öre; null when it is not one. */
export function ore(text: string): number | null {
  const t = text.replace(/[\s\u00a0]/g, '').replace(/kr$/i, '').replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/** An ISO 9999 code as written (`12 06 06`, `12.06.06`), its leading zero given back where a spreadsheet took it as a number (`43306`). */
function isoCode(text: string): string {
  const digits = text.replace(/[\s.]/g, '');
  return /^\d{3}$|^\d{5}$/.test(digits) ? `0${digits}` : digits;
}

const list = (text: string) => text.split(/[\s,;|]+/).map((s) => s.trim()).filter(Boolean);

/**
 * The plan for a set of tables. Articles come first (individuals and orders may name an article
 * the same import brings), then individuals, then orders.
 */
export function planImport(tables: readonly Table[], state: RegionState, newId: NewId, now: number): Plan {
  const plan: Plan = { changes: [], unchanged: { article: 0, individual: 0, order: 0 }, created: { article: 0, individual: 0, order: 0 }, updated: { article: 0, individual: 0, order: 0 }, rejected: [], rows: 0 };
  const order: TableKind[] = ['article', 'individual', 'order'];
  const articles = new Map(state.articles);
  const codes = new Map(state.codes);
  for (const kind of order)
    for (const table of tables.filter((t) => t.kind === kind)) {
      const reasons = new Reasons(table);
      plan.rows += table.rows.length;
      const unknown = unknownColumns(kind, table.header);
      if (unknown.length) {
        for (const r of table.rows) reasons.add(r, null, `Okänd kolumn: ${unknown.join(', ')}. Rätta rubriken (se README) och läs in igen.`, `Unknown column: ${unknown.join(', ')}. Correct the header (see the README) and import again.`);
        plan.rejected.push(...reasons.list);
        continue;
      }
      const readable = table.rows.filter((r) => {
        if (r.unreadable === undefined) return true;
        reasons.add(r, r.unreadable, 'Raden har tecken som inte går att läsa (fel teckenkodning). Spara filen som UTF-8, eller läs in den med --encoding windows-1252.', 'The row has characters that cannot be read (wrong encoding). Save the file as UTF-8, or import it with --encoding windows-1252.');
        return false;
      });
      if (kind === 'article') planArticles(readable, reasons, state, articles, codes, newId, now, plan);
      else if (kind === 'individual') planIndividuals(readable, reasons, state, articles, newId, now, plan);
      else planOrders(readable, reasons, state, articles, newId, plan);
      plan.rejected.push(...reasons.list.sort((x, y) => x.row - y.row));
    }
  return plan;
}

function planArticles(rows: FileRow[], reasons: Reasons, state: RegionState, articles: Map<string, Row>, codes: Map<string, string>, newId: NewId, now: number, plan: Plan): void {
  const seen = new Set<string>();
  for (const r of rows) {
    const number = cell(r, 'artikelnummer');
    if (seen.has(number)) {
      reasons.add(r, 'artikelnummer', `Artikelnummer ${number} finns redan tidigare i filen.`, `Article number ${number} is already earlier in the file.`);
      continue;
    }
    seen.add(number);
    const price = ore(cell(r, 'inköpspris'));
    if (price === null) {
      reasons.add(r, 'inköpspris', 'Inköpspriset är inte ett belopp i kronor (t.ex. 1249,50).', 'The purchase price is not an amount in kronor (e.g. 1249.50).');
      continue;
    }
    const rentable = YES_NO[cell(r, 'hyrs_ut').toLowerCase()];
    if (rentable === undefined) {
      reasons.add(r, 'hyrs_ut', 'Hyrs ut ska vara ja eller nej.', 'Rented out must be yes or no (ja/nej).');
      continue;
    }
    const tracking = TRACKING_WORDS[cell(r, 'spårning').toLowerCase()];
    if (tracking === undefined) {
      reasons.add(r, 'spårning', 'Spårning ska vara ingen, batch eller batch_bäst_före.', 'Tracking must be ingen, batch or batch_bäst_före.');
      continue;
    }
    const gtinsRaw = list(cell(r, 'gtin'));
    const notGtin = badGtin(gtinsRaw);
    if (notGtin) {
      reasons.add(r, 'gtin', `${notGtin} är ingen giltig GTIN (fel längd eller kontrollsiffra).`, `${notGtin} is not a valid GTIN (wrong length or check digit).`);
      continue;
    }
    const before = articles.get(number) ?? null;
    const id = (before?.id as string | undefined) ?? newId('article', number);
    const name = cell(r, 'benämning');
    const data: Row = {
      ...(before ?? {}),
      id,
      article_number: number,
      name,
      search_name: searchName(name),
      iso_code: isoCode(cell(r, 'iso')),
      iso_edition: ISO_EDITION,
      rentable: rentable ? 1 : 0,
      unit: cell(r, 'enhet') || 'st',
      supplier: cell(r, 'leverantör'),
      purchase_price: price,
      tracking,
      equivalence_group: cell(r, 'likvärdighetsgrupp') || null,
      gtins: [...new Set(gtinsRaw.map(toGtin14))].sort(),
      hibc: [...new Set(list(cell(r, 'hibc')).map((h) => h.replace(/^\+/, '').toUpperCase()))].sort(),
    };
    const wrong = articleWrong(id, data);
    if (wrong) {
      const column = { articleNumber: 'artikelnummer', name: 'benämning', isoCode: 'iso', supplier: 'leverantör', unit: 'enhet', purchasePrice: 'inköpspris', tracking: 'spårning', gtins: 'gtin', hibc: 'hibc', equivalenceGroup: 'likvärdighetsgrupp' }[wrong.field] ?? null;
      reasons.add(r, column, wrong.sv, wrong.en);
      continue;
    }
    const taken = [...(data.gtins as string[]), ...(data.hibc as string[])].find((c) => codes.has(c) && codes.get(c) !== id);
    if (taken) {
      const owner = [...articles.values()].find((a) => a.id === codes.get(taken))?.article_number ?? '?';
      reasons.add(r, /^\d+$/.test(taken) ? 'gtin' : 'hibc', `${taken} hör redan till artikel ${String(owner)}.`, `${taken} already belongs to article ${String(owner)}.`);
      continue;
    }
    if (before && same(before, data, ARTICLE_FIELDS)) {
      plan.unchanged.article++;
      continue;
    }
    if (before && countedDifferently(before, data) && state.stocked.has(id)) {
      reasons.add(r, 'hyrs_ut', 'Artikeln har saldo eller individer: om den hyrs ut och hur den följs kan inte ändras av en fil.', 'The article has stock or devices: whether it is rented out and how it is followed cannot be changed by a file.');
      continue;
    }
    const full = { ...data, changed_by: null, changed_at: now };
    for (const c of [...(data.gtins as string[]), ...(data.hibc as string[])]) codes.set(c, id);
    articles.set(number, full);
    plan.changes.push({ kind: 'article', id, data: full, before });
    plan[before ? 'updated' : 'created'].article++;
  }
}

function planIndividuals(rows: FileRow[], reasons: Reasons, state: RegionState, articles: Map<string, Row>, newId: NewId, now: number, plan: Plan): void {
  const seen = new Set<string>();
  const intakes = new Map<string, Row | undefined>();
  const intakeOf = (siteId: string) => {
    if (!intakes.has(siteId)) intakes.set(siteId, intake(state, siteId));
    return intakes.get(siteId);
  };
  const serials = new Map(state.serials);
  for (const r of rows) {
    const number = cell(r, 'individnummer').toUpperCase();
    if (!INDIVIDUAL_NUMBER.test(number)) {
      reasons.add(r, 'individnummer', 'Individnumret ska vara I och sju siffror (som på individens etikett).', "The individual number must be I and seven digits (as on the device's label).");
      continue;
    }
    if (seen.has(number)) {
      reasons.add(r, 'individnummer', `Individ ${number} finns redan tidigare i filen.`, `Individual ${number} is already earlier in the file.`);
      continue;
    }
    seen.add(number);
    const article = articles.get(cell(r, 'artikelnummer'));
    if (!article) {
      reasons.add(r, 'artikelnummer', `Okänd artikel ${cell(r, 'artikelnummer')}: den finns varken i registret eller i filens artiklar.`, `Unknown article ${cell(r, 'artikelnummer')}: it is neither in the register nor among the file's articles.`);
      continue;
    }
    if (!(article.rentable === 1 || article.rentable === true)) {
      reasons.add(r, 'artikelnummer', `Artikel ${String(article.article_number)} hyrs inte ut och följs inte per individ.`, `Article ${String(article.article_number)} is not rented out and is not followed one by one.`);
      continue;
    }
    const status = STATUS_WORDS[cell(r, 'status').toLowerCase()];
    if (!status) {
      reasons.add(r, 'status', 'Status ska vara i_lager, utlånad eller utrangerad; en individ i annat skick tas emot på en station.', 'The status must be i_lager, utlånad or utrangerad; a device in another state is taken in at a station.');
      continue;
    }
    const site = state.sites.get(cell(r, 'förråd').toUpperCase());
    if (!site) {
      reasons.add(r, 'förråd', `Okänt förråd ${cell(r, 'förråd')}. Ange förrådets kod, t.ex. BOD.`, `Unknown site ${cell(r, 'förråd')}. Give the site's code, e.g. BOD.`);
      continue;
    }
    let location: Row | undefined;
    if (status === 'in_stock') {
      const code = cell(r, 'plats').toUpperCase();
      location = code ? state.locations.get(code) : intakeOf(site.id as string);
      if (!location || location.site_id !== site.id || location.retired_at) {
        reasons.add(r, 'plats', code ? `Platsen ${code} finns inte i förrådet ${String(site.code)}.` : `Förrådet ${String(site.code)} har ingen plats att lägga individen på.`, code ? `Location ${code} is not at site ${String(site.code)}.` : `Site ${String(site.code)} has no location to put the device on.`);
        continue;
      }
    }
    const serial = cell(r, 'serienummer') || null;
    const before = state.individuals.get(number) ?? null;
    const n = Number(number.slice(1));
    if (!before && n >= state.stationNumbers[0] && n < state.stationNumbers[1]) {
      reasons.add(r, 'individnummer', `${number} hör till en nummerserie som stationerna märker nya individer med. Ge individen ett nummer utanför den.`, `${number} is in a range of numbers the stations label new devices with. Give the device a number outside it.`);
      continue;
    }
    const id = (before?.id as string | undefined) ?? newId('individual', number);
    if (serial) {
      const key = `${String(article.id)}|${serial}`;
      const holder = serials.get(key);
      if (holder !== undefined && holder !== id) {
        reasons.add(r, 'serienummer', `Serienummer ${serial} finns redan på en annan individ av artikel ${String(article.article_number)}.`, `Serial number ${serial} is already on another device of article ${String(article.article_number)}.`);
        continue;
      }
      serials.set(key, id);
    }
    if (before) {
      // Where a device is and in what state changes by a movement at a station, never by a file.
      // A place the file names must be where it is; without one, the device may have been put away since.
      const named = cell(r, 'plats') !== '';
      if (before.article_id !== article.id || before.status !== status || before.site_id !== site.id || (named && location && before.location_id !== location.id)) {
        reasons.add(r, 'status', `Individ ${number} finns redan i registret med annan artikel, status eller plats. Flytta den på en station; filen ändrar den inte.`, `Individual ${number} is already in the register with another article, status or place. Move it at a station; the file does not change it.`);
        continue;
      }
      if ((before.serial_number ?? null) === serial) {
        plan.unchanged.individual++;
        continue;
      }
      plan.changes.push({ kind: 'individual', id, data: { ...before, serial_number: serial, updated_at: now }, before });
      plan.updated.individual++;
      continue;
    }
    const data: Row = {
      id,
      individual_number: number,
      article_id: article.id,
      serial_number: serial,
      udi: null,
      status,
      site_id: site.id,
      location_id: location ? location.id : null,
      ready_since: status === 'in_stock' ? now : null,
      updated_at: now,
      loan_order_ref: null,
      loan_since: status === 'on_loan' ? now : null,
      last: null,
    };
    plan.changes.push({ kind: 'individual', id, data, before: null });
    plan.created.individual++;
  }
}

/** Where a device in stock goes when the file names no location: the site's goods-in, or at a depot without one its first shelf. */
function intake(state: RegionState, siteId: string): Row | undefined {
  const here = [...state.locations.values()].filter((l) => l.site_id === siteId && !l.retired_at);
  return here.find((l) => l.kind === 'goods_in') ?? here.filter((l) => ['shelf', 'rack', 'floor'].includes(l.kind as string) && l.level === 'bin').sort((a, b) => String(a.code).localeCompare(String(b.code)))[0];
}

const ORDER_FIELDS = ['order_ref', 'customer_ref', 'delivery_point', 'municipality', 'route', 'delivery_day', 'placed_at', 'site_id', 'lines'] as const;

function planOrders(rows: FileRow[], reasons: Reasons, state: RegionState, articles: Map<string, Row>, newId: NewId, plan: Plan): void {
  const byRef = new Map<string, FileRow[]>();
  for (const r of rows) {
    const ref = cell(r, 'ordernummer');
    byRef.set(ref, [...(byRef.get(ref) ?? []), r]);
  }
  for (const [ref, lines] of byRef) {
    const first = lines[0]!;
    const problems = reasons.list.length;
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(ref)) reasons.add(first, 'ordernummer', 'Ordernumret får ha bokstäver, siffror och bindestreck (högst 32 tecken).', 'The order number may have letters, digits and dashes (at most 32 characters).');
    const site = state.sites.get(cell(first, 'förråd').toUpperCase());
    if (!site) reasons.add(first, 'förråd', `Okänt förråd ${cell(first, 'förråd')}. Ange förrådets kod, t.ex. BOD.`, `Unknown site ${cell(first, 'förråd')}. Give the site's code, e.g. BOD.`);
    const day = cell(first, 'leveransdag');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T12:00:00Z`)))
      reasons.add(first, 'leveransdag', 'Leveransdagen ska skrivas ÅÅÅÅ-MM-DD.', 'The delivery day must be written YYYY-MM-DD.');
    const placedText = cell(first, 'beställd');
    const placedAt = placedText ? Date.parse(placedText.replace(' ', 'T')) : Date.parse(`${day}T08:00:00`) - 7 * 86_400_000;
    if (Number.isNaN(placedAt)) reasons.add(first, 'beställd', 'Beställd ska skrivas ÅÅÅÅ-MM-DD TT:MM.', 'Placed must be written YYYY-MM-DD HH:MM.');
    for (const f of ['kundreferens', 'leveransställe', 'kommun', 'rutt'] as const)
      if (!cell(first, f) || cell(first, f).length > 80) reasons.add(first, f, `${f} saknas eller är för lång (högst 80 tecken).`, `${f} is missing or too long (at most 80 characters).`);
    const orderLines: Row[] = [];
    for (const l of lines) {
      const article = articles.get(cell(l, 'artikelnummer'));
      const quantity = Number(cell(l, 'antal'));
      if (!article) reasons.add(l, 'artikelnummer', `Okänd artikel ${cell(l, 'artikelnummer')}.`, `Unknown article ${cell(l, 'artikelnummer')}.`);
      else if (!Number.isInteger(quantity) || quantity < 1 || quantity > 9999) reasons.add(l, 'antal', 'Antalet ska vara ett heltal 1–9999.', 'The quantity must be a whole number from 1 to 9999.');
      else orderLines.push({ article_id: article.id, quantity });
    }
    // An order is taken whole or not at all: its other lines are reported with it.
    if (reasons.list.length > problems) {
      for (const l of lines) if (!reasons.list.slice(problems).some((x) => x.row === l.row)) reasons.add(l, null, `Ordern ${ref} läses inte in: en annan rad i den är fel.`, `Order ${ref} is not imported: another of its rows is wrong.`);
      continue;
    }
    const before = state.orders.get(ref) ?? null;
    const id = (before?.id as string | undefined) ?? newId('customer_order', ref);
    const data: Row = {
      ...(before ?? {}),
      id,
      order_ref: ref,
      customer_ref: cell(first, 'kundreferens'),
      delivery_point: cell(first, 'leveransställe'),
      municipality: cell(first, 'kommun'),
      route: cell(first, 'rutt'),
      delivery_day: day,
      placed_at: placedAt,
      site_id: site!.id,
      to_site_id: before?.to_site_id ?? null,
      lines: orderLines.map((l, i) => ({ id: `${id}:${i + 1}`, customer_order_id: id, line_no: i + 1, article_id: l.article_id, quantity: l.quantity })),
    };
    if (before && same(before, data, ORDER_FIELDS)) {
      plan.unchanged.order += lines.length;
      continue;
    }
    if (before && state.picked.has(ref)) {
      for (const l of lines) reasons.add(l, 'ordernummer', `Order ${ref} har redan plockats och ändras inte av en fil. Ändra den i regionens system och på stationen.`, `Order ${ref} has already been picked and is not changed by a file.`);
      continue;
    }
    plan.changes.push({ kind: 'customer_order', id, data, before });
    plan[before ? 'updated' : 'created'].order += lines.length;
  }
}

/** The layout's columns, for the README and the report. */
export const columnsOf = (kind: TableKind): string[] => LAYOUT[kind].columns.map((c) => c.name);
