import type { StoreItems } from 'botbuilder';
import type { Outcome } from './group-commit.js';

/** One Storage call in a group commit: a write() of several keys (all or nothing), or a delete(). */
export type StateRequest = { writes: Array<[string, StoreItems[string]]>; deletes?: undefined } | { writes?: undefined; deletes: string[] };

/** A key's new stored form, or null when it is deleted. */
export type StateChange = { json: string; etag: string } | null;

/**
 * Applies a batch's requests in order to the stored eTags (`stored`: key -> eTag, null or absent = not stored),
 * with MemoryStorage's rule: a write carrying an eTag other than "*" needs the stored one, or no stored item.
 * A request with a stale eTag fails alone and changes nothing. Returns the final change per key (later requests
 * in the batch see earlier ones) and one outcome per request. Pure apart from `newEtag`.
 */
export function planStateBatch(
  batch: StateRequest[],
  stored: Map<string, string | null>,
  newEtag: () => string,
): { changes: Map<string, StateChange>; outcomes: Array<Outcome<void>> } {
  const current = new Map(stored);
  const changes = new Map<string, StateChange>();
  const outcomes = batch.map((request): Outcome<void> => {
    if (request.deletes) {
      for (const key of request.deletes) {
        current.set(key, null);
        changes.set(key, null);
      }
      return { ok: true, value: undefined };
    }
    const stale = request.writes.find(([key, item]) => {
      const eTag = item?.eTag;
      const conditional = !(eTag === undefined || eTag === null || eTag === '' || eTag === '*');
      const now = current.get(key);
      return conditional && now !== undefined && now !== null && now !== String(eTag);
    });
    if (stale) return { ok: false, error: new Error(`Storage: error writing "${stale[0]}" due to eTag conflict.`) };
    for (const [key, item] of request.writes) {
      const { eTag: _ignored, ...value } = item ?? {};
      const change = { json: JSON.stringify(value), etag: newEtag() };
      current.set(key, change.etag);
      changes.set(key, change);
    }
    return { ok: true, value: undefined };
  });
  return { changes, outcomes };
}
