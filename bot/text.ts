/**
 * Cuts `text` to at most `maxUnits` UTF-16 code units without splitting a surrogate pair: a lone half of an
 * emoji is not valid Unicode, and PostgreSQL text/jsonb refuse it (the whole save fails, not just the line).
 */
export function cutText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const end = Math.max(0, maxUnits);
  const last = text.charCodeAt(end - 1);
  // A high surrogate as the last kept unit would lose its partner at the cut: leave the whole pair out.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}
