import { pino, type Logger } from 'pino';
import { redact, redactDeep } from './privacy/redact.js';

/**
 * Values we generate ourselves and that must stay intact to correlate logs with analytics: the user hash
 * (hex, where six digits in a row would otherwise read as an identifier) and the activity id of the turn.
 */
const SAFE_VALUES: Record<string, RegExp> = {
  user: /^[0-9a-f]{16}$/,
  userHash: /^[0-9a-f]{16}$/,
  turnId: /^[A-Za-z0-9:_.;@|-]{1,100}$/,
};

/** Redacts every string of one serialized log line (message, bindings, errors and their stacks). */
export function redactLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${redact(line.trimEnd())}\n`;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    out[key] = typeof value === 'string' && SAFE_VALUES[key]?.test(value) ? value : redactDeep(value);
  }
  return `${JSON.stringify(out)}\n`;
}

/**
 * The structured logger. Every line is redacted as it is written, after pino has put it together, so no
 * log call (a careless message, printf arguments, a child logger's bindings, an Error and its stack) can
 * write a patient's name, MRN, date of birth or phone number.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'elbow' },
    hooks: { streamWrite: redactLogLine },
  };
  return destination ? pino(options, destination as never) : pino(options);
}

/** The first line of what a library printed, without its stack (an Error's message, or the printed text). */
function firstLine(args: unknown[]): string {
  const text = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : String(a))).join(' ');
  return text.split('\n', 1)[0]!.slice(0, 300);
}

/**
 * Sends what libraries write with console.error / console.warn (botbuilder prints a rejected token's stack
 * trace) through the logger instead of raw stderr: one redacted warn line, no stack. Process-wide, so only the
 * entry point calls it.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const log = (...args: unknown[]) => logger.warn({ source: 'library' }, firstLine(args));
  console.error = log;
  console.warn = log;
}
