/**
 * A deterministic generator of numbers in [0, 1) (a linear congruential one), so a randomized
 * test that fails names an input that can be replayed.
 *
 * @example const next = seededRandom(7); const coin = next() < 0.5;
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
