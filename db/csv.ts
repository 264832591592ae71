/**
 * Text a spreadsheet shows as text: a cell that would start a formula (`=`, `+`, `-`, `@`, a tab or
 * a carriage return, as a name typed at a public sign-in might) gets a leading apostrophe.
 */
export const inert = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** CSV as Swedish spreadsheets open it: semicolons, decimal commas, UTF-8 with a byte-order mark; text never runs as a formula. */
export function csv(rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : typeof v === 'number' ? String(v).replace('.', ',') : inert(v);
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\ufeff${rows.map((row) => row.map(cell).join(';')).join('\r\n')}\r\n`;
}
