/**
 * Human output of the `huey` command: aligned tables, and times shown both
 * relative ("3m ago") and absolute (ISO, UTC).
 */

/** A table with a header row, columns padded to their widest cell. */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "42s", "3m", "2h", "5d": the size of a duration in ms. */
export function span(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** "3m ago (2026-01-01T10:00:00Z)" or "in 5s (...)"; "-" without a time. */
export function when(time: number | string | null | undefined, now = Date.now()): string {
  if (time === null || time === undefined) return '-';
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return String(time);
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return ms <= now ? `${span(now - ms)} ago (${iso})` : `in ${span(ms - now)} (${iso})`;
}

/** A value on one line, cut to `max` characters. */
export function brief(value: unknown, max = 60): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
