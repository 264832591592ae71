/**
 * The arithmetic of a suggestion, kept pure: from stock position, reorder settings and usage to a
 * quantity, with the figures that explain it (the words for them: vocabulary/suggestion.ts).
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
