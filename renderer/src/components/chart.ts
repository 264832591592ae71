/**
 * An SVG polyline's points for values spread evenly across `width`, scaled so the largest fills
 * `height` (at least 1, so an all-zero line lies on the floor); below zero is drawn as zero.
 */
export function linePoints(values: readonly number[], width: number, height: number): string {
  const max = Math.max(1, ...values);
  return values.map((v, i) => `${((i / Math.max(1, values.length - 1)) * width).toFixed(1)},${(height - (Math.max(0, v) / max) * height).toFixed(1)}`).join(' ');
}
