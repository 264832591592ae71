/**
 * A refused input in the words of the screen it was typed on: every field a call takes has a
 * label in Swedish and English (the screen's own where the screen has one), and the refusal names
 * that label and what is wrong with it, never the field's name in the code ("quantity",
 * "printers.0.connection.host"). It says nothing was saved only where the call would have saved
 * something.
 */
import type { z } from 'zod';
import { SOMETHING_WENT_WRONG, type UserMessage } from '../vocabulary/errors';

type Label = UserMessage;
const l = (sv: string, en: string): Label => ({ sv, en });

/**
 * A field's label by its name, wherever it is in a call's input. A list's entries are named by
 * the list (`FIELD_ROWS`), so "printers.0.connection.host" reads "Adress (skrivare 1)".
 */
export const FIELD_LABELS: Record<string, Label> = {
  A: l('Klass A', 'Class A'),
  B: l('Klass B', 'Class B'),
  C: l('Klass C', 'Class C'),
  action: l('Åtgärd', 'Action'),
  actions: l('Åtgärd', 'Action'),
  active: l('Aktiv', 'Active'),
  address: l('Gatuadress', 'Street address'),
  after: l('Sidan', 'Page'),
  aisle: l('Gång', 'Aisle'),
  answers: l('Svar på kontrollen', 'Answers to the check'),
  approve: l('Rader att godkänna', 'Lines to approve'),
  articleId: l('Artikel', 'Article'),
  articleNumber: l('Artikelnummer', 'Article number'),
  badge: l('Passerbricka', 'Badge'),
  basis: l('Klassa efter', 'Classify by'),
  batchId: l('Diskomgång', 'Wash batch'),
  baudRate: l('Hastighet (baud)', 'Speed (baud)'),
  before: l('Sidan', 'Page'),
  bins: l('Fack', 'Bins'),
  blind: l('Blind räkning', 'Blind count'),
  branch: l('Sidan', 'Page'),
  cabinet: l('Disk', 'Washer'),
  capacity: l('Kapacitet (st)', 'Capacity (pcs)'),
  claim: l('Reklamationsnummer', 'Claim number'),
  code: l('Kod', 'Code'),
  collectionDay: l('Hämtdag', 'Collection day'),
  command: l('Kommando', 'Command'),
  companyPrefix: l('GS1-företagsprefix', 'GS1 company prefix'),
  components: l('Delar som följer med vid retur', 'Parts that come back with a return'),
  connection: l('Anslutning', 'Connection'),
  countId: l('Inventering', 'Count'),
  cursor: l('Sidan', 'Page'),
  day: l('Dag', 'Day'),
  days: l('Dagar', 'Days'),
  deliveryDay: l('Leveransdag', 'Delivery day'),
  deliveryPoint: l('Leveransplats', 'Delivery point'),
  deliveryWeekday: l('Veckodag', 'Weekday'),
  detail: l('Detaljer', 'Details'),
  device: l('Hjälpmedel', 'Device'),
  direction: l('Tar eller lägger tillbaka', 'Taking or returning'),
  disposal: l('Omhändertagande', 'Disposal'),
  dpi: l('Upplösning', 'Resolution'),
  en: l('Fråga på engelska', 'Question in English'),
  enabled: l('Använd', 'In use'),
  equivalenceGroup: l('Likvärdighetsgrupp', 'Equivalence group'),
  expiresOn: l('Bäst före', 'Best before'),
  expiry: l('Bäst före', 'Best before'),
  extensionDigit: l('Utökningssiffra', 'Extension digit'),
  fault: l('Fel', 'Fault'),
  format: l('Filformat', 'File format'),
  framing: l('Avslut', 'Terminator'),
  from: l('Från', 'From'),
  fromCode: l('Från plats', 'From location'),
  fromLocationId: l('Från plats', 'From location'),
  gtin: l('GTIN', 'GTIN'),
  gtins: l('GTIN', 'GTIN'),
  heightMm: l('Etiketthöjd (mm)', 'Label height (mm)'),
  hibc: l('HIBC-koder', 'HIBC codes'),
  host: l('Adress', 'Address'),
  hours: l('Timräknare (h)', 'Hour meter (h)'),
  id: l('Posten', 'The record'),
  idOrSscc: l('Pall', 'Pallet'),
  idleSeconds: l('Tillbaka till start efter (sekunder)', 'Back to the start after (seconds)'),
  ifKnown: l('Skannad i ett textfält', 'Scanned into a text field'),
  individual: l('Individnummer', 'Individual number'),
  individualId: l('Individ', 'Individual'),
  individualIds: l('Individer', 'Individuals'),
  input: l('Skanning', 'Scan'),
  interByteTimeoutMs: l('Paus mellan tecken (ms)', 'Pause between characters (ms)'),
  intervalDays: l('Var så många dagar', 'Every so many days'),
  intervalHours: l('Var så många drifttimmar', 'Every so many operating hours'),
  isoCode: l('ISO 9999', 'ISO 9999'),
  isoPrefix: l('ISO-klass', 'ISO class'),
  isoPrefixes: l('Utbildad för (ISO-klasser)', 'Trained for (ISO classes)'),
  itemId: l('Rad på pallen', 'Line on the pallet'),
  jobId: l('Utskrift', 'Print job'),
  key: l('Tangent', 'Key'),
  keyboardLayout: l('Tangentbordslayout', 'Keyboard layout'),
  kind: l('Typ', 'Type'),
  kinds: l('Etiketter skrivaren tar', 'Labels the printer takes'),
  labelSize: l('Etikettstorlek', 'Label size'),
  lang: l('Språk', 'Language'),
  lead: l('Skanningens första tecken', "The scan's first character"),
  leadDays: l('Ledtid (dagar)', 'Lead time (days)'),
  leaveBehind: l('Stäng utan det som är kvar att lasta', 'Close without what is left to load'),
  level: l('Nivå', 'Level'),
  limit: l('Antal rader', 'Number of rows'),
  lines: l('Varor', 'Items'),
  locationId: l('Plats', 'Location'),
  locationIds: l('Platser', 'Locations'),
  lot: l('Batch', 'Lot'),
  maxStock: l('Maxnivå', 'Maximum level'),
  method: l('Metod', 'Method'),
  minutes: l('Minuter', 'Minutes'),
  missing: l('Saknade komponenter', 'Missing components'),
  mode: l('Läge', 'Mode'),
  month: l('Månad', 'Month'),
  movementId: l('Uttaget', 'The withdrawal'),
  movementIds: l('Det som ska ångras', 'What to undo'),
  movements: l('Rörelser', 'Movements'),
  municipality: l('Kommun', 'Municipality'),
  name: l('Namn', 'Name'),
  note: l('Anteckning', 'Note'),
  occurredAt: l('När', 'When'),
  ok: l('OK eller fel', 'OK or fault'),
  oneTimeCode: l('Engångskod (8 siffror)', 'One-time code (8 digits)'),
  orderQuantity: l('Fast orderkvantitet', 'Fixed order quantity'),
  orderRef: l('Order', 'Order'),
  origin: l('Var hjälpmedlet kommer ifrån', 'Where the device comes from'),
  owner: l('Ägare', 'Owner'),
  palletId: l('Pall', 'Pallet'),
  parentId: l('Ligger under', 'Sits under'),
  passed: l('Kontrollens resultat', 'Result of the check'),
  path: l('Port eller enhet', 'Port or device'),
  perYear: l('Räknas per år', 'Counted per year'),
  pickupId: l('Hämtorder', 'Pick-up order'),
  pickupOrder: l('Hämtorder', 'Pick-up order'),
  pickupPoint: l('Hämtställe', 'Pick-up point'),
  pin: l('PIN-kod', 'PIN'),
  place: l('Var finns det', 'Where it is'),
  planId: l('Underhållsplan', 'Maintenance plan'),
  poNumber: l('Inköpsorder', 'Purchase order'),
  port: l('Port', 'Port'),
  posLayout: l('Tangentbordslayout', 'Keyboard layout'),
  postcode: l('Postnummer', 'Postcode'),
  prefix: l('Prefix', 'Prefix'),
  present: l('Komponenter som följer med', 'Components present'),
  printerId: l('Skrivare', 'Printer'),
  printers: l('Etikettskrivare', 'Label printers'),
  priority: l('Prioritet', 'Priority'),
  purchasePrice: l('Inköpspris (kr)', 'Purchase price (SEK)'),
  quantities: l('Antal att beställa', 'Quantities to order'),
  quantity: l('Antal', 'Quantity'),
  questionId: l('Fråga', 'Question'),
  questions: l('Frågor', 'Questions'),
  raw: l('Skannad kod', 'Scanned code'),
  reason: l('Orsak', 'Reason'),
  ref: l('Order eller kostnadsställe', 'Order or cost centre'),
  rentable: l('Hyrs ut', 'Rented out'),
  reorderPoint: l('Beställningspunkt', 'Reorder point'),
  resolved: l('Åtgärdade', 'Resolved'),
  returnedOn: l('Returdatum', 'Return date'),
  role: l('Roll', 'Role'),
  route: l('Rutt', 'Route'),
  safetyStock: l('Säkerhetslager', 'Safety stock'),
  scanId: l('Skanningen', 'The scan'),
  scanners: l('Skannrar', 'Scanners'),
  scrap: l('Kassation', 'Scrapping'),
  seen: l('Skanningen', 'The scan'),
  serialFrom: l('Serienummer från', 'Serial number from'),
  serialNumber: l('Serienummer', 'Serial number'),
  serialTo: l('Serienummer till', 'Serial number to'),
  set: l('Marginal', 'Margin'),
  shelves: l('Hyllor', 'Shelves'),
  since: l('Sidan', 'Page'),
  siteId: l('Förråd', 'Site'),
  siteIds: l('Förråd', 'Sites'),
  sscc: l('Pall (SSCC)', 'Pallet (SSCC)'),
  stockArticle: l('Lagervara här', 'Stocked here'),
  suffix: l('Avslut', 'Terminator'),
  supplier: l('Leverantör', 'Supplier'),
  suppliers: l('Leverantörer', 'Suppliers'),
  sv: l('Fråga på svenska', 'Question in Swedish'),
  take: l('Ta jobbet', 'Take the job'),
  text: l('Sök', 'Search'),
  thresholdQuantity: l('Omräkning vid avvikelse över (antal)', 'Recount when the difference is over (quantity)'),
  thresholdValueSek: l('eller över (kronor)', 'or over (kronor)'),
  title: l('Namn', 'Name'),
  to: l('Till', 'To'),
  toCode: l('Till plats', 'To location'),
  toLocationId: l('Till plats', 'To location'),
  town: l('Ort', 'Town'),
  tracking: l('Spårning', 'Tracking'),
  udi: l('UDI', 'UDI'),
  unit: l('Enhet', 'Unit'),
  userId: l('Användare', 'User'),
  weekday: l('Veckodag', 'Weekday'),
  weeks: l('Veckor', 'Weeks'),
  widthMm: l('Etikettbredd (mm)', 'Label width (mm)'),
  windowDays: l('Förbrukning räknad över (dagar)', 'Usage counted over (days)'),
  withinDays: l('Inom (dagar)', 'Within (days)'),
  workOrderId: l('Arbetsorder', 'Work order'),
  workflow: l('Arbetsflöde', 'Workflow'),
  zoneId: l('Zon', 'Zone'),
  zpl: l('Etikett', 'Label'),
};

/** Where a field means something other than its name says elsewhere (dotted path, `#` for a list's entry). */
export const PATH_LABELS: Record<string, Label> = {
  'set.days': l('Marginal (dagar)', 'Margin (days)'),
  'set.hours': l('Marginal (drifttimmar)', 'Margin (operating hours)'),
  'cursor.after': l('Sidan', 'Page'),
  'after.id': l('Sidan', 'Page'),
  'components.#.name': l('Del', 'Part'),
  'components.#.quantity': l('Antal av delen', 'Quantity of the part'),
  'answers.#.note': l('Vad är fel?', 'What is wrong?'),
  'scrap.reason': l('Varför kasseras den?', 'Why is it scrapped?'),
  'input.scrap.reason': l('Varför kasseras den?', 'Why is it scrapped?'),
  'input.answers.#.note': l('Vad är fel?', 'What is wrong?'),
  'input.quantity': l('Antal', 'Quantity'),
};

/** A list's entries as a person counts them: "skrivare 2", "rad 3". */
export const FIELD_ROWS: Record<string, Label> = {
  printers: l('skrivare', 'printer'),
  scanners: l('skanner', 'scanner'),
  lines: l('rad', 'line'),
  movements: l('rörelse', 'movement'),
  components: l('del', 'part'),
  questions: l('fråga', 'question'),
  answers: l('fråga', 'question'),
};

type PathKey = PropertyKey;

/** The label of a field at a path of a call's input, and which entry of a list it is in (counted from 1). */
export function fieldLabel(path: readonly PathKey[]): { label: Label; row: Label | null } | null {
  const names = path.filter((p): p is string => typeof p === 'string');
  if (names.length === 0) return null;
  const pattern = path.map((p) => (typeof p === 'number' ? '#' : String(p))).join('.');
  const label = PATH_LABELS[pattern] ?? (Object.hasOwn(FIELD_LABELS, names.at(-1)!) ? FIELD_LABELS[names.at(-1)!] : undefined);
  if (!label) return null;
  let row: Label | null = null;
  for (let i = path.length - 1; i > 0; i--) {
    const entry = path[i];
    const list = path[i - 1];
    if (typeof entry === 'number' && typeof list === 'string' && Object.hasOwn(FIELD_ROWS, list) && path.length > i + 1) {
      row = { sv: `${FIELD_ROWS[list]!.sv} ${entry + 1}`, en: `${FIELD_ROWS[list]!.en} ${entry + 1}` };
      break;
    }
  }
  return { label, row };
}

/**
 * Calls that only read (a figure they work out may be kept for the next, but nothing a person
 * did): a refused input there has nothing to do with saving, and they leave no audit entry. Every
 * other call keeps something when it succeeds, so its refusal says that nothing was.
 */
export const READ_CALLS: ReadonlySet<string> = new Set([
  'station.info', 'station.idle', 'count.list', 'count.get', 'count.scans', 'count.review', 'count.report', 'count.export', 'count.cycleSchedule',
  'audit.list', 'audit.verify', 'audit.export', 'auth.users', 'auth.locked', 'auth.me', 'users.list', 'rentals.list', 'rentals.export',
  'stock.search', 'stock.resolve', 'stock.article', 'stock.equivalenceGroups', 'stock.individual', 'stock.location', 'stock.sites', 'stock.siteStock',
  'queue.reconditioning', 'supervisor.overview', 'scanners.overview', 'receiving.order', 'putaway.suggest', 'picking.routes', 'picking.list', 'returns.components',
  'workflow.state', 'printers.list', 'printers.status', 'print.jobs', 'print.preview', 'labels.render', 'settings.gs1', 'pallets.get', 'pallets.manifest',
  'pallets.loadList', 'deliveries.list', 'pickups.list', 'lots.expiring', 'lots.recall', 'sync.status', 'sync.issues', 'replenishment.suggestions',
  'replenishment.dashboard', 'replenishment.stockHistory', 'replenishment.transfers', 'reorder.settings', 'kiosk.settings', 'locations.list', 'locations.preferred',
  'places.list', 'service.board', 'service.job', 'workorder.get', 'maintenance.due', 'individual.timeline', 'individual.timelinePdf', 'service.charts',
  'service.safetyNotice', 'wash.get', 'workshop.data', 'workshop.components',
]);

/** Signing in and out, and a scan, keep nothing a person typed: a wrong PIN is its own refusal. */
export const SIGN_IN_CALLS: ReadonlySet<string> = new Set(['auth.signIn', 'auth.badge', 'auth.signOut', 'kiosk.start', 'kiosk.touch', 'kiosk.scan', 'scan.submit']);

/** Whether a call would have kept nothing of what was typed, so a refusal has nothing to say about saving. */
export const savesNothing = (call: string): boolean => READ_CALLS.has(call) || SIGN_IN_CALLS.has(call);

const NUMBER = /^(number|int|bigint)$/;
const n = (x: unknown) => (typeof x === 'bigint' || typeof x === 'number' ? x.toLocaleString('sv-SE') : String(x));
const nEn = (x: unknown) => (typeof x === 'bigint' || typeof x === 'number' ? x.toLocaleString('en-GB') : String(x));

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
};

/** What is wrong with the field, in words: the sentence's own subject is the label ("Antal"). */
function what(issue: z.core.$ZodIssue, input: unknown, name: Label): Label {
  const q = { sv: `"${name.sv}"`, en: `"${name.en}"` };
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(input, issue.path) === undefined || valueAt(input, issue.path) === null) return { sv: `Fyll i ${q.sv}.`, en: `Fill in ${q.en}.` };
      if (issue.expected === 'int') return { sv: `${q.sv} ska vara ett heltal.`, en: `${q.en} must be a whole number.` };
      if (NUMBER.test(issue.expected)) return { sv: `${q.sv} ska vara ett tal.`, en: `${q.en} must be a number.` };
      return { sv: `${q.sv} är inte rätt ifyllt.`, en: `${q.en} is not filled in correctly.` };
    }
    case 'too_small': {
      const origin = String(issue.origin);
      const min = issue.minimum;
      if (origin === 'string') return Number(min) <= 1 ? { sv: `Fyll i ${q.sv}.`, en: `Fill in ${q.en}.` } : { sv: `${q.sv} ska ha minst ${n(min)} tecken.`, en: `${q.en} needs at least ${nEn(min)} characters.` };
      if (origin === 'array' || origin === 'set') return { sv: `Välj minst ${n(min)} i ${q.sv}.`, en: `Choose at least ${nEn(min)} in ${q.en}.` };
      return issue.inclusive === false
        ? { sv: `${q.sv} ska vara större än ${n(min)}.`, en: `${q.en} must be more than ${nEn(min)}.` }
        : { sv: `${q.sv} ska vara minst ${n(min)}.`, en: `${q.en} must be at least ${nEn(min)}.` };
    }
    case 'too_big': {
      const origin = String(issue.origin);
      const max = issue.maximum;
      if (origin === 'string') return { sv: `${q.sv} får ha högst ${n(max)} tecken.`, en: `${q.en} may have at most ${nEn(max)} characters.` };
      if (origin === 'array' || origin === 'set') return { sv: `${q.sv} får ha högst ${n(max)} rader.`, en: `${q.en} may have at most ${nEn(max)} entries.` };
      return issue.inclusive === false
        ? { sv: `${q.sv} ska vara mindre än ${n(max)}.`, en: `${q.en} must be less than ${nEn(max)}.` }
        : { sv: `${q.sv} får vara högst ${n(max)}.`, en: `${q.en} may be at most ${nEn(max)}.` };
    }
    case 'not_multiple_of':
      return { sv: `${q.sv} ska vara ett heltal.`, en: `${q.en} must be a whole number.` };
    case 'invalid_value':
      return { sv: `Välj ett av alternativen i ${q.sv}.`, en: `Choose one of the options in ${q.en}.` };
    case 'invalid_format':
      return { sv: `${q.sv} har fel form.`, en: `${q.en} is not in the right form.` };
    default:
      return { sv: `${q.sv} är inte rätt ifyllt.`, en: `${q.en} is not filled in correctly.` };
  }
}

/** A refused input as the person who typed it reads it: the field by its label, what is wrong, and whether anything was saved. */
export function invalidInputMessage(call: string, issues: readonly z.core.$ZodIssue[], input: unknown): { message: UserMessage; field?: string } {
  const first = issues[0];
  const field = first?.path.map(String).join('.') || undefined;
  const saves = !savesNothing(call);
  const said = (m: UserMessage): UserMessage => (saves ? { sv: `${m.sv.replace(/\.$/, '')}; inget har sparats.`, en: `${m.en.replace(/\.$/, '')}; nothing was saved.` } : m);
  const found = first ? fieldLabel(first.path) : null;
  if (!first || !found || first.code === 'unrecognized_keys') {
    return {
      message: said({ sv: 'Uppgifterna är inte rätt ifyllda. Kontrollera dem och försök igen.', en: 'The data is not filled in correctly. Check it and try again.' }),
      ...(field ? { field } : {}),
    };
  }
  const name = found.row ? { sv: `${found.label.sv} (${found.row.sv})`, en: `${found.label.en} (${found.row.en})` } : found.label;
  return { message: said(what(first, input, name)), ...(field ? { field } : {}) };
}

/** What a call that failed inside the station says: that nothing was saved only where it would have saved something. */
export const somethingWentWrong = (call: string): UserMessage =>
  savesNothing(call)
    ? { sv: 'Något gick fel i stationen. Försök igen, och kontakta IT om det upprepas.', en: 'Something went wrong in the station. Try again, and call IT if it happens again.' }
    : SOMETHING_WENT_WRONG;
