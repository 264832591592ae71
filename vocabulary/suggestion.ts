/**
 * How a replenishment suggestion explains itself to the person ordering: from the figures the core
 * returns with each line, in Swedish and English ("i lager 3, på väg 2, beställningspunkt 6,
 * förbrukning 0,4/dag, ledtid 7 dagar → beställ 4 (upp till 9)"). The screen says it for the lines
 * it shows; the core computes figures only, so a suggestion for every site costs no words.
 */
import type { UserMessage } from './errors';
import { plural } from './language';

/** A suggested line's figures: what the arithmetic saw and what it arrived at. */
export interface LineFigures {
  onHand: number;
  inTransit: number;
  reserved: number;
  /** Devices expected back ready from reconditioning within the lead time. */
  comingBack?: number;
  reorderPoint: number;
  maxStock: number;
  usagePerDay: number;
  orderQuantity: number;
  /** The level ordered up to. */
  target: number;
  /** The quantity suggested. */
  quantity: number;
}

/** When the order arrives: the central store's lead time, or a depot's next delivery day. */
export type SuggestionWhen = { leadDays: number } | { deliveryDay: string };

// Slow movers use well under one a day: two decimals there, so their usage does not read as 0.
const usage = (v: number) => (v < 1 ? Math.round(v * 100) / 100 : Math.round(v * 10) / 10).toString();

/** The line's explanation, in Swedish and English. */
export function explainSuggestion(x: LineFigures, when: SuggestionWhen): UserMessage {
  const w =
    'leadDays' in when
      ? { sv: `ledtid ${plural(when.leadDays, 'dag', 'dagar')}`, en: `lead ${plural(when.leadDays, 'day', 'days')}` }
      : { sv: `leverans ${when.deliveryDay}`, en: `delivery ${when.deliveryDay}` };
  const reserved = x.reserved ? { sv: `, reserverat ${x.reserved}`, en: `, reserved ${x.reserved}` } : { sv: '', en: '' };
  const back = x.comingBack
    ? { sv: `, klara från rekond inom ledtiden ${x.comingBack}`, en: `, ready from reconditioning within the lead time ${x.comingBack}` }
    : { sv: '', en: '' };
  const foq = x.orderQuantity ? { sv: `, i hela ${x.orderQuantity}-tal`, en: `, in multiples of ${x.orderQuantity}` } : { sv: '', en: '' };
  const upTo = x.maxStock ? { sv: `upp till max ${x.maxStock}`, en: `up to max ${x.maxStock}` } : { sv: `upp till ${x.target}`, en: `up to ${x.target}` };
  const u = usage(x.usagePerDay);
  return {
    sv: `i lager ${x.onHand}, på väg ${x.inTransit}${back.sv}${reserved.sv}, beställningspunkt ${x.reorderPoint}, förbrukning ${u.replace('.', ',')}/dag, ${w.sv} → beställ ${x.quantity} (${upTo.sv}${foq.sv})`,
    en: `on hand ${x.onHand}, in transit ${x.inTransit}${back.en}${reserved.en}, reorder point ${x.reorderPoint}, usage ${u}/day, ${w.en} → order ${x.quantity} (${upTo.en}${foq.en})`,
  };
}
