/**
 * The k-th best of the scores seen so far: a search that walks matches in falling raw-score order, and only ever
 * lowers a raw score when it adjusts it (factors ≤ 1), can stop at the first raw score below this floor — no later
 * match can enter the top k. Keeps the k best in a small sorted array (k is about a dozen).
 */
export class ScoreFloor {
  readonly #best: number[] = [];

  constructor(private readonly k: number) {}

  /** Records an (adjusted) score. */
  add(score: number): void {
    const best = this.#best;
    if (best.length === this.k && score <= best[best.length - 1]!) return;
    let at = best.length;
    while (at > 0 && best[at - 1]! < score) at--;
    best.splice(at, 0, score);
    if (best.length > this.k) best.pop();
  }

  /**
   * True when a match of raw score `raw` (and every later, lower one) cannot reach the top k. Strictly below, with
   * a margin for the rounding of the adjustment, so ties still go through the normal ordering.
   */
  excludes(raw: number): boolean {
    return this.#best.length === this.k && raw * (1 + 1e-9) < this.#best[this.k - 1]!;
  }
}
