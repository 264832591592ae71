/**
 * What the demo range is made of: per ISO 9999 subgroup, the Swedish product words, fictional
 * model names, variants and a price range. Names and suppliers are made up; the classes are real.
 */
import type { Tracking } from '../schema';

export interface ArticleFamily {
  iso: string;
  nouns: string[];
  variants: string[];
  /** Purchase price range in SEK. */
  price: [number, number];
  unit?: string;
  tracking?: Tracking;
  /** Share of the range; a larger weight gives more articles and more individuals. */
  weight: number;
}

export const MODELS = [
  'Polar', 'Tjäle', 'Kallax', 'Norrsken', 'Lappland', 'Fjäll', 'Älv', 'Midnatt', 'Ripa', 'Järv',
  'Lodjur', 'Björk', 'Tall', 'Gran', 'Vidde', 'Myr', 'Forsen', 'Kust', 'Skare', 'Snöbär',
  'Renlav', 'Lule', 'Pite', 'Torne', 'Kalix', 'Råne', 'Vindel', 'Sarek', 'Kebne', 'Abisko',
];

export const SUPPLIERS = [
  'Nordisk Rehab AB', 'Hjälpmedelsgrossisten i Norr AB', 'Polarmedica AB', 'Vård & Lyft Norden AB',
  'Rullkraft Sverige AB', 'Sängservice Nord AB', 'Ergoform AB', 'Bottenviken Medicinteknik AB',
  'Kommunikationshjälp AB', 'Hygienpartner Skandinavien AB',
];

export const FAMILIES: ArticleFamily[] = [
  { iso: '120606', nouns: ['Rollator'], variants: ['inomhus', 'utomhus', 'smal', 'bred', 'med sits', 'lätt, fällbar', 'storlek S', 'storlek M', 'storlek L'], price: [900, 4500], weight: 10 },
  { iso: '120603', nouns: ['Gåstativ'], variants: ['med hjul', 'utan hjul', 'höj- och sänkbart', 'barn'], price: [600, 2600], weight: 3 },
  { iso: '120609', nouns: ['Gåstol'], variants: ['med bromsar', 'med sits', 'barn'], price: [4000, 14000], weight: 2 },
  { iso: '120612', nouns: ['Gåbord'], variants: ['med underarmsstöd', 'el-höj- och sänkbart'], price: [6000, 18000], weight: 2 },
  { iso: '120306', nouns: ['Armbågskrycka'], variants: ['ergonomiskt handtag', 'barn', 'bariatrisk'], price: [150, 600], weight: 2 },
  { iso: '120316', nouns: ['Fyrpunktskäpp'], variants: ['liten bas', 'stor bas'], price: [300, 900], weight: 1 },
  { iso: '122203', nouns: ['Manuell rullstol', 'Aktivrullstol', 'Transportrullstol'], variants: ['sitsbredd 38 cm', 'sitsbredd 42 cm', 'sitsbredd 45 cm', 'sitsbredd 48 cm', 'sitsbredd 52 cm', 'bariatrisk', 'barn'], price: [6000, 32000], weight: 10 },
  { iso: '122218', nouns: ['Komfortrullstol', 'Vårdarmanövrerad rullstol'], variants: ['med tilt', 'med tilt och ryggvinkling', 'sitsbredd 45 cm', 'sitsbredd 50 cm'], price: [14000, 42000], weight: 5 },
  { iso: '122303', nouns: ['Elrullstol'], variants: ['inomhus', 'utomhus', 'inne/ute', 'mittdriven', 'framhjulsdriven'], price: [35000, 120000], weight: 5 },
  { iso: '122306', nouns: ['Elrullstol med elektronisk styrning'], variants: ['joystick', 'kinstyrning', 'ståfunktion'], price: [60000, 180000], weight: 2 },
  { iso: '122409', nouns: ['Drivaggregat'], variants: ['för manuell rullstol', 'med hjälpmotor'], price: [18000, 45000], weight: 2 },
  { iso: '181210', nouns: ['Säng', 'Vårdsäng', 'Elsäng'], variants: ['90 cm', '105 cm', '120 cm', 'lågsäng', 'bariatrisk', 'barn', 'med höj- och sänkbar botten'], price: [12000, 38000], weight: 8 },
  { iso: '181226', nouns: ['Sänggrind', 'Sidoskydd för säng'], variants: ['hel', 'delad', 'stoppad'], price: [900, 4000], weight: 3 },
  { iso: '181228', nouns: ['Lyftbåge för säng'], variants: ['fristående', 'sängmonterad'], price: [800, 2600], weight: 1 },
  { iso: '043306', nouns: ['Trycksårsmadrass', 'Luftmadrass', 'Växeltrycksmadrass'], variants: ['90 cm', '105 cm', 'med kompressor', 'statisk'], price: [3000, 28000], weight: 6 },
  { iso: '123603', nouns: ['Mobil personlyft', 'Golvlyft'], variants: ['150 kg', '200 kg', 'bariatrisk 250 kg', 'hopfällbar'], price: [22000, 48000], weight: 4 },
  { iso: '123604', nouns: ['Stålyft', 'Uppresningslyft'], variants: ['med knästöd', 'eldriven'], price: [18000, 40000], weight: 3 },
  { iso: '123612', nouns: ['Taklyft', 'Väggmonterad lyft'], variants: ['200 kg', '275 kg', 'med skensystem', 'portabel lyftmotor'], price: [20000, 55000], weight: 4 },
  { iso: '123621', nouns: ['Lyftsele', 'Hygiensele', 'Benstödsele'], variants: ['storlek XS', 'storlek S', 'storlek M', 'storlek L', 'storlek XL'], price: [1200, 4800], weight: 4 },
  { iso: '123103', nouns: ['Glidlakan', 'Vändlakan'], variants: ['90 cm', '140 cm', 'tubformat'], price: [400, 2200], weight: 2 },
  { iso: '123121', nouns: ['Förflyttningsplattform'], variants: ['med vridplatta'], price: [6000, 14000], weight: 1 },
  { iso: '091203', nouns: ['Toalettstol', 'Duschtoalettstol', 'Hygienstol'], variants: ['med hjul', 'utan hjul', 'tippbar', 'bariatrisk'], price: [1500, 16000], weight: 4 },
  { iso: '091212', nouns: ['Toalettförhöjning'], variants: ['med armstöd', 'utan armstöd', '6 cm', '10 cm'], price: [400, 1900], weight: 2 },
  { iso: '093304', nouns: ['Badbräda'], variants: ['standard', 'med handtag'], price: [250, 900], weight: 1 },
  { iso: '093307', nouns: ['Duschstol', 'Duschpall'], variants: ['med ryggstöd', 'med armstöd', 'med hjul', 'fällbar'], price: [500, 9000], weight: 3 },
  { iso: '093312', nouns: ['Duschbrits', 'Skötbord'], variants: ['el-höj- och sänkbar', 'väggmonterad'], price: [18000, 52000], weight: 1 },
  { iso: '180903', nouns: ['Arbetsstol', 'Vilstol'], variants: ['med elektrisk höjning', 'med tippfunktion', 'hög rygg'], price: [4000, 22000], weight: 3 },
  { iso: '180907', nouns: ['Ståstol'], variants: ['med bromsar', 'barn'], price: [5000, 15000], weight: 1 },
  { iso: '180921', nouns: ['Specialstol', 'Positioneringsstol'], variants: ['barn', 'vuxen', 'med tilt'], price: [15000, 60000], weight: 2 },
  { iso: '181006', nouns: ['Sittdyna', 'Trycksårsdyna'], variants: ['40x40 cm', '42x42 cm', '45x45 cm', '48x45 cm', 'luftcellsdyna'], price: [600, 7000], weight: 4 },
  { iso: '181810', nouns: ['Stödhandtag', 'Golv-takstång'], variants: ['sugfäste', 'skruvfäste', 'med vridbart handtag'], price: [300, 5000], weight: 2 },
  { iso: '183015', nouns: ['Ramp', 'Tröskelramp'], variants: ['1 m', '2 m', 'teleskop', 'gummi'], price: [500, 9000], weight: 2 },
  { iso: '090703', nouns: ['Bröstsele', 'Höftbälte'], variants: ['storlek S', 'storlek M', 'storlek L'], price: [300, 1500], weight: 1 },
  { iso: '090903', nouns: ['Strumppådragare'], variants: ['för stödstrumpa', 'med långt skaft'], price: [150, 600], weight: 1 },
  { iso: '242103', nouns: ['Griptång'], variants: ['60 cm', '80 cm', 'fällbar'], price: [120, 450], weight: 1 },
  { iso: '222718', nouns: ['Trygghetslarm', 'Personligt larm'], variants: ['med fallsensor', 'GPS'], price: [2500, 7000], weight: 2 },
  { iso: '222712', nouns: ['Talande klocka', 'Kalenderklocka'], variants: ['digital', 'analog'], price: [600, 3200], weight: 1 },
  { iso: '222106', nouns: ['Kommunikationsförstärkare', 'Talsyntes med skärm'], variants: ['10 tum', '13 tum'], price: [12000, 45000], weight: 1 },
  { iso: '040321', nouns: ['Slemsug'], variants: ['batteridriven', 'nätdriven'], price: [4000, 11000], weight: 1 },
  { iso: '040606', nouns: ['Kompressionsstrumpa'], variants: ['klass 1', 'klass 2', 'knälång', 'lårlång'], price: [200, 900], tracking: 'lot', unit: 'par', weight: 2 },
  { iso: '040318', nouns: ['Syrgasslang', 'Näsgrimma för syrgas'], variants: ['2 m', '5 m', 'vuxen', 'barn'], price: [20, 120], tracking: 'lot_expiry', weight: 1 },
  { iso: '044803', nouns: ['Träningscykel', 'Motionscykel'], variants: ['sittande', 'för rullstol'], price: [8000, 30000], weight: 1 },
];

/** Rule of thumb from the centre: over 2,000 SEK is rented and individually marked; rollators always are; hygiene items are sold. */
export function isRentable(iso: string, priceSek: number): boolean {
  if (iso === '120606') return true;
  if (iso.startsWith('0933') && priceSek < 10000) return false;
  return priceSek > 2000;
}

export const DEMO_USERS: { name: string; role: 'warehouse_worker' | 'depot_staff' | 'technician' | 'supervisor' | 'admin' | 'prescriber'; pin: string; site: string }[] = [
  { name: 'Lena Nilsson', role: 'warehouse_worker', pin: '1111', site: 'BOD' },
  { name: 'Mikael Lindqvist', role: 'warehouse_worker', pin: '1112', site: 'BOD' },
  { name: 'Sara Öberg', role: 'depot_staff', pin: '2221', site: 'LUL' },
  { name: 'Johan Eriksson', role: 'depot_staff', pin: '2222', site: 'KRN' },
  { name: 'Anders Björk', role: 'technician', pin: '3331', site: 'BOD' },
  { name: 'Maria Holmström', role: 'technician', pin: '3332', site: 'GLV' },
  { name: 'Karin Lundberg', role: 'supervisor', pin: '4441', site: 'BOD' },
  { name: 'Erik Sandström', role: 'supervisor', pin: '4442', site: 'LUL' },
  { name: 'Per Åström', role: 'admin', pin: '9991', site: 'BOD' },
  { name: 'Helena Forsberg', role: 'admin', pin: '9992', site: 'BOD' },
  // Prescribers take devices at the unmanned depots' kiosks with their badge; they have no PIN to the station.
  { name: 'Eva Lindgren, arbetsterapeut', role: 'prescriber', pin: '', site: 'JKK' },
  { name: 'Olof Nyström, fysioterapeut', role: 'prescriber', pin: '', site: 'ALV' },
];

export interface SiteSeed {
  code: string;
  name: string;
  kind: 'central_store' | 'staffed_depot' | 'unmanned_depot';
  municipality: string;
}

export const SITES: SiteSeed[] = [
  { code: 'BOD', name: 'Centralförrådet Boden', kind: 'central_store', municipality: 'Boden' },
  { code: 'LUL', name: 'Filialförråd Sunderby sjukhus', kind: 'staffed_depot', municipality: 'Luleå' },
  { code: 'PIT', name: 'Filialförråd Piteå', kind: 'staffed_depot', municipality: 'Piteå' },
  { code: 'KAX', name: 'Filialförråd Kalix', kind: 'staffed_depot', municipality: 'Kalix' },
  { code: 'GLV', name: 'Filialförråd Gällivare', kind: 'staffed_depot', municipality: 'Gällivare' },
  { code: 'KRN', name: 'Filialförråd Kiruna', kind: 'staffed_depot', municipality: 'Kiruna' },
  { code: 'JKK', name: 'Närförråd Jokkmokk', kind: 'unmanned_depot', municipality: 'Jokkmokk' },
  { code: 'ALV', name: 'Närförråd Älvsbyn', kind: 'unmanned_depot', municipality: 'Älvsbyn' },
  { code: 'HAP', name: 'Närförråd Haparanda', kind: 'unmanned_depot', municipality: 'Haparanda' },
  { code: 'OKX', name: 'Närförråd Överkalix', kind: 'unmanned_depot', municipality: 'Överkalix' },
  { code: 'PAJ', name: 'Närförråd Pajala', kind: 'unmanned_depot', municipality: 'Pajala' },
  { code: 'ARJ', name: 'Närförråd Arjeplog', kind: 'unmanned_depot', municipality: 'Arjeplog' },
  { code: 'ARV', name: 'Närförråd Arvidsjaur', kind: 'unmanned_depot', municipality: 'Arvidsjaur' },
  { code: 'OTO', name: 'Närförråd Övertorneå', kind: 'unmanned_depot', municipality: 'Övertorneå' },
  // Further unmanned depots in villages, used by the large dataset.
  { code: 'VIT', name: 'Närförråd Vittangi', kind: 'unmanned_depot', municipality: 'Kiruna' },
  { code: 'MAL', name: 'Närförråd Malmberget', kind: 'unmanned_depot', municipality: 'Gällivare' },
  { code: 'KOR', name: 'Närförråd Korpilombolo', kind: 'unmanned_depot', municipality: 'Pajala' },
  { code: 'POR', name: 'Närförråd Porjus', kind: 'unmanned_depot', municipality: 'Jokkmokk' },
  { code: 'GLO', name: 'Närförråd Glommersträsk', kind: 'unmanned_depot', municipality: 'Arvidsjaur' },
  { code: 'KAR', name: 'Närförråd Karungi', kind: 'unmanned_depot', municipality: 'Haparanda' },
];
