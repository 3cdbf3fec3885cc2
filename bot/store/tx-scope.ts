import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Remembers which database a transaction callback is running for, so that a stray `db.query` inside
 * `db.transaction(fn)` fails loudly instead of deadlocking (PGlite has one connection) or silently
 * running outside the transaction (PostgreSQL pool).
 */
export class TransactionScope {
  readonly #current = new AsyncLocalStorage<{ active: boolean }>();

  /** Throws when called from inside a running transaction of this database. */
  assertOutside(what: string): void {
    if (this.#current.getStore()?.active) {
      throw new Error(`${what} called inside a transaction of the same database: use the transaction's handle (tx)`);
    }
  }

  /** Runs `fn` marked as inside a transaction; the mark ends when `fn` settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const mark = { active: true };
    try {
      return await this.#current.run(mark, fn);
    } finally {
      mark.active = false;
    }
  }
}

/** Error for a transaction whose callback resolved although a statement failed and was not recovered. */
export function abortedTransactionError(cause: unknown): Error {
  return new Error('transaction rolled back: a statement inside it failed and the callback did not rethrow', {
    cause,
  });
}
