/**
 * A region export in the documented layout, generated for the import's tests and benchmark: any
 * number of articles, individuals and order lines, with errors seeded where asked (an unknown
 * article, a duplicate serial number, a bad ISO code, bytes that are not UTF-8), each at a row the
 * caller is told of.
 */
import iso from '../../db/reference/iso9999.json';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';

export interface SampleOptions {
  articles: number;
  individuals: number;
  orders: number;
  /** Site codes devices and orders are spread over. */
  sites: string[];
  /** Location codes per site that devices in stock are put on (none: the site's goods-in). */
  places?: Record<string, string[]>;
  /** The first individual number (a number outside the stations' ranges). */
  firstIndividual?: number;
  /** Seed the four kinds of error. */
  errors?: boolean;
}

export interface Sample {
  articles: Buffer;
  individuals: Buffer;
  orders: Buffer;
  /** The rows (as a spreadsheet numbers them) that must be rejected, with the column each is rejected for. */
  seeded: { table: 'article' | 'individual' | 'order'; row: number; column: string }[];
}

const line = (cells: (string | number)[]) => cells.map((c) => (/[;"\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(';');

export function regionSample(o: SampleOptions): Sample {
  const seeded: Sample['seeded'] = [];
  const codes = iso.subgroups.map((s) => s.code);
  const articleNumber = (n: number) => `R${String(200000 + n)}`;
  const rentable = (n: number) => n % 5 !== 0;
  const a: Buffer[] = [Buffer.from('\ufeffartikelnummer;benämning;iso;leverantör;enhet;inköpspris;hyrs_ut;spårning;gtin;hibc;likvärdighetsgrupp\r\n')];
  for (let n = 0; n < o.articles; n++) {
    // Under a company prefix of its own (789…), so its GTINs never meet the demo range's (735…).
    const body = `78900${String(n).padStart(7, '0')}`;
    const gtin = `0${body}${gs1CheckDigit(body)}`;
    let isoCode = codes[n % codes.length]!;
    let name = `Hjälpmedel ${n} modell ${n % 17}`;
    const row = n + 2;
    if (o.errors && n === 7) {
      isoCode = '999999';
      seeded.push({ table: 'article', row, column: 'iso' });
    }
    const text = line([articleNumber(n), name, isoCode, `Leverantör ${n % 40} AB`, 'st', `${1000 + (n % 900)},50`, rentable(n) ? 'ja' : 'nej', rentable(n) ? 'ingen' : 'batch', gtin, n % 10 === 0 ? `E735${articleNumber(n)}` : '', rentable(n) ? `Grupp ${n % 300}` : '']);
    if (o.errors && n === 11) {
      // A name in Windows-1252 inside a UTF-8 file: "Långsam" with å as one byte.
      name = 'L\u00e5ngsam';
      const [before, after] = text.split(`Hjälpmedel ${n} modell ${n % 17}`) as [string, string];
      a.push(Buffer.concat([Buffer.from(before), Buffer.from(name, 'latin1'), Buffer.from(`${after}\r\n`)]));
      seeded.push({ table: 'article', row, column: 'benämning' });
      continue;
    }
    a.push(Buffer.from(`${text}\r\n`));
  }
  const firstIndividual = o.firstIndividual ?? 5_000_001;
  const i: string[] = ['individnummer;serienummer;artikelnummer;status;förråd;plats'];
  const rentables = Array.from({ length: o.articles }, (_, n) => n).filter((n) => rentable(n) && !(o.errors && (n === 7 || n === 11)));
  for (let n = 0; n < o.individuals; n++) {
    const article = rentables[n % rentables.length]!;
    const site = o.sites[n % o.sites.length]!;
    const status = n % 10 < 7 ? 'i_lager' : n % 10 < 9 ? 'utlånad' : 'utrangerad';
    const places = o.places?.[site] ?? [];
    const place = status === 'i_lager' && places.length ? places[n % places.length]! : '';
    let number = articleNumber(article);
    let serial = `SN${article}-${n}`;
    const row = n + 2;
    if (o.errors && n === 5) {
      number = 'R999999';
      seeded.push({ table: 'individual', row, column: 'artikelnummer' });
    }
    if (o.errors && n === 9) {
      // The article and serial number of the row before.
      const prev = rentables[(n - 1) % rentables.length]!;
      number = articleNumber(prev);
      serial = `SN${prev}-${n - 1}`;
      seeded.push({ table: 'individual', row, column: 'serienummer' });
    }
    i.push(line([`I${String(firstIndividual + n).padStart(7, '0')}`, serial, number, status, site, place]));
  }
  const r: string[] = ['ordernummer;kundreferens;förråd;leveransställe;kommun;rutt;leveransdag;beställd;artikelnummer;antal'];
  for (let n = 0; n < o.orders; n++) {
    const site = o.sites[0]!;
    r.push(line([`SO-${String(n + 1).padStart(6, '0')}`, `PSN-${n % 997}`, site, `Utlämning ${n % 23}`, 'Boden', `Rutt ${n % 5}`, '2030-03-04', '2030-02-20 09:15', articleNumber(rentables[n % rentables.length]!), 1 + (n % 3)]));
  }
  return { articles: Buffer.concat(a), individuals: Buffer.from(`${i.join('\r\n')}\r\n`), orders: Buffer.from(`\ufeff${r.join('\r\n')}\r\n`), seeded };
}
