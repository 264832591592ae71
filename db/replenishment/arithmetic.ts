/**
 * The arithmetic of a suggestion, kept pure: from stock position, reorder settings and usage to a
 * quantity, with the figures that explain it.
 *
 * - position = on hand + in transit + coming back ready − reserved (coming back ready: for a rentable
 *   article at the central store, the devices in its reconditioning queue and the pick-ups due that
 *   the workshop's measured pace makes ready within the lead time)
 * - projected = position − usage × the days until the goods can arrive that the reorder point does
 *   not already cover (0 for the central store, whose reorder point includes its lead time; the
 *   days to the next delivery for a depot)
 * - nothing is suggested while projected > reorder point
 * - otherwise order up to the maximum (or, with no maximum, the reorder point plus the usage over
 *   one cycle: the lead time, or the week between a depot's deliveries), and in any case above the
 *   reorder point, rounded up to whole multiples of a fixed order quantity.
 */
export interface SuggestionInput {
  onHand: number;
  inTransit: number;
  reserved: number;
  /** Devices expected back on the shelf, ready, within the lead time (reconditioning queue and pick-ups due). */
  comingBack?: number;
  reorderPoint: number;
  safetyStock: number;
  maxStock: number;
  /** Units per day over the usage window. */
  usagePerDay: number;
  /** Days until goods ordered now arrive, not covered by the reorder point. */
  horizonDays: number;
  /** Days the order should last when there is no maximum. */
  cycleDays: number;
  orderQuantity: number;
}

export interface SuggestionFigures {
  position: number;
  projected: number;
  target: number;
  quantity: number;
}

export function suggestQuantity(x: SuggestionInput): SuggestionFigures {
  const position = x.onHand + x.inTransit + (x.comingBack ?? 0) - x.reserved;
  const projected = position - x.usagePerDay * x.horizonDays;
  // Never order to a level that is still at the reorder point (a maximum set below it is a setting mistake).
  const target = Math.max(x.maxStock > 0 ? x.maxStock : x.reorderPoint + Math.ceil(x.usagePerDay * x.cycleDays), x.reorderPoint + 1);
  if (projected > x.reorderPoint) return { position, projected, target, quantity: 0 };
  let quantity = Math.max(1, Math.ceil(target - projected));
  if (x.orderQuantity > 0) quantity = Math.ceil(quantity / x.orderQuantity) * x.orderQuantity;
  return { position, projected, target, quantity };
}

// Slow movers use well under one a day: two decimals there, so their usage does not read as 0.
const n1 = (v: number) => (v < 1 ? Math.round(v * 100) / 100 : Math.round(v * 10) / 10).toString();

/** "on hand 3, in transit 2, reorder point 6, usage 0.4/day, lead 7 days → order 8", in Swedish and English. */
export function explain(x: SuggestionInput, f: SuggestionFigures, when: { sv: string; en: string }): { sv: string; en: string } {
  const reserved = x.reserved ? { sv: `, reserverat ${x.reserved}`, en: `, reserved ${x.reserved}` } : { sv: '', en: '' };
  const back = x.comingBack
    ? { sv: `, klara från rekond inom ledtiden ${x.comingBack}`, en: `, ready from reconditioning within the lead time ${x.comingBack}` }
    : { sv: '', en: '' };
  const foq = x.orderQuantity ? { sv: `, i hela ${x.orderQuantity}-tal`, en: `, in multiples of ${x.orderQuantity}` } : { sv: '', en: '' };
  const upTo = x.maxStock ? { sv: `upp till max ${x.maxStock}`, en: `up to max ${x.maxStock}` } : { sv: `upp till ${f.target}`, en: `up to ${f.target}` };
  return {
    sv: `i lager ${x.onHand}, på väg ${x.inTransit}${back.sv}${reserved.sv}, beställningspunkt ${x.reorderPoint}, förbrukning ${n1(x.usagePerDay).replace('.', ',')}/dag, ${when.sv} → beställ ${f.quantity} (${upTo.sv}${foq.sv})`,
    en: `on hand ${x.onHand}, in transit ${x.inTransit}${back.en}${reserved.en}, reorder point ${x.reorderPoint}, usage ${n1(x.usagePerDay)}/day, ${when.en} → order ${f.quantity} (${upTo.en}${foq.en})`,
  };
}
