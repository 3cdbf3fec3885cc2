import { pino, type Logger } from 'pino';
import { redact, redactDeep } from './escalation/redact.js';

/**
 * The structured logger. Every string and object logged passes through `redact` first, so a careless
 * log call cannot write a patient's name, MRN, date of birth or phone number.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'elbow' },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        const safe = args.map((a) => (typeof a === 'string' ? redact(a) : a && typeof a === 'object' && !(a instanceof Error) ? redactDeep(a) : a));
        method.apply(this, safe);
      },
    },
  };
  return destination ? pino(options, destination as never) : pino(options);
}
