/** The time range a report covers: `since` inclusive, `until` exclusive. */
export interface ReportWindow {
  since: Date;
  until: Date;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Parses a duration like `30d`, `12h`, `2w` or `90m` into milliseconds; null when malformed or not positive. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d{1,5})\s*([mhdw])\s*$/i.exec(String(text ?? ''));
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2].toLowerCase()];
  return ms > 0 ? ms : null;
}

/** The window of length `ms` that ends at `now`. */
export function windowEndingAt(now: Date, ms: number): ReportWindow {
  return { since: new Date(now.getTime() - ms), until: new Date(now.getTime()) };
}
