/**
 * The demo's article range: the ISO 9999 classes, then articles drawn from the families of
 * catalogue.ts by their weights, each with one or two GTINs.
 */
import iso from '../reference/iso9999.json';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { FAMILIES, MODELS, SUPPLIERS, isRentable } from './catalogue';
import type { Random } from './random';

/** An article as the later seeders need it. */
export interface DemoArticle {
  id: string;
  number: string;
  iso: string;
  rentable: boolean;
  tracking: string;
  /** How often it moves, against the others. */
  weight: number;
  /** Kept on a floor spot (beds, lifts, wheelchairs), not on a shelf. */
  floor: boolean;
  /** Its first GTIN. */
  gtin: string;
}

/** The ISO 9999 groups and subgroups of the edition the range uses. */
export function seedIsoCodes(sq: StationDb['sqlite']): void {
  const insIso = sq.prepare('insert into iso_codes (code, edition, title, group_code) values (?, ?, ?, ?)');
  for (const g of iso.groups) insIso.run(g.code, iso.edition, g.title, null);
  for (const s of iso.subgroups) insIso.run(s.code, iso.edition, s.title, s.group);
}

/** Writes `count` articles and their GTINs. */
export function seedArticles(sq: StationDb['sqlite'], count: number, random: Random): DemoArticle[] {
  const { rnd, pick, between } = random;
  const articles: DemoArticle[] = [];
  const insArticle = sq.prepare(
    `insert into articles (id, article_number, name, search_name, iso_code, iso_edition, rentable, unit, supplier, purchase_price, tracking, equivalence_group)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insGtin = sq.prepare('insert into article_gtins (gtin, article_id) values (?, ?)');
  // Every tenth article also carries a HIBC code from its maker (labeler E735, the article number as product number).
  const insHibc = sq.prepare('insert into article_hibc (code, article_id) values (?, ?)');
  const familyWeights = FAMILIES.map((f) => f.weight);
  const familyTotal = familyWeights.reduce((a, b) => a + b, 0);
  let gtinSerial = 0;
  for (let n = 0; n < count; n++) {
    let r = rnd() * familyTotal;
    let f = FAMILIES[0]!;
    for (const fam of FAMILIES) if ((r -= fam.weight) < 0) { f = fam; break; }
    const priceSek = between(f.price[0], f.price[1]);
    const noun = pick(f.nouns);
    const model = pick(MODELS);
    const variant = pick(f.variants);
    const name = `${noun} ${model} ${variant}`;
    const rentable = isRentable(f.iso, priceSek);
    const a = {
      id: uuidv7(),
      number: `A${String(100000 + n).padStart(6, '0')}`,
      iso: f.iso,
      rentable,
      tracking: f.tracking ?? 'none',
      weight: f.weight * (0.3 + rnd()),
      floor: /^(1812|1236|1222|1223)/.test(f.iso),
      gtin: '',
    };
    articles.push(a);
    insArticle.run(a.id, a.number, name, name.toLocaleLowerCase('sv-SE'), f.iso, iso.edition, rentable ? 1 : 0, f.unit ?? 'st', pick(SUPPLIERS), priceSek * 100, a.tracking, rentable ? `${noun} ${variant}` : null);
    if (n % 10 === 0) insHibc.run(`E735${a.number}`, a.id);
    const gtins = rnd() < 0.3 ? 2 : 1;
    for (let g = 0; g < gtins; g++) {
      const body = `735${String(1000 + (gtinSerial % 9000)).padStart(4, '0')}${String(Math.floor(gtinSerial / 9000) * 7 + g).padStart(5, '0')}`;
      gtinSerial++;
      const gtin = `0${body}${gs1CheckDigit(body)}`;
      if (g === 0) a.gtin = gtin;
      insGtin.run(gtin, a.id);
    }
  }
  return articles;
}
