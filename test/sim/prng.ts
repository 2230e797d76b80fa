/**
 * Small, fast, seedable randomness for the simulator. Every attribute of every generated record
 * is derived from `hash32(seed, index, stream)` so any record can be computed on its own, in any
 * order, without generating the ones before it (needed to serve page 2,999 of a 300,000-row list
 * without building the list).
 */

// Jest runs tests in a vm context where every global lookup (imul...) goes through an
// interceptor and costs ~20x; module-level copies keep the hot loops fast there too.
const { imul, floor } = Math;

/** murmur3's 32-bit finalizer: turns nearby integers into unrelated ones. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of non-negative integers (any size up to 2^53) into one 32-bit seed. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold the high word in too, so seeds above 2^32 still matter.
    h = fmix32(h ^ fmix32(part >>> 0));
    h = fmix32(h ^ fmix32(floor(part / 0x100000000) >>> 0));
  }
  return h;
}

/** FNV-1a of a string, to mix hostnames and URLs into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A mulberry32 stream with the handful of helpers generators need. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}

/** Rng for record `index` of stream `stream` under `seed`. */
export function rngFor(seed: number, index: number, stream: number): Rng {
  return new Rng(hash32(seed, index, stream));
}

/**
 * A seeded bijection of [0, n) with O(1) forward and inverse: a 4-round Feistel network on the
 * smallest even-bit power of two >= n, cycle-walking values that fall outside [0, n). Contiguous
 * buckets (the categories) come out evenly and irregularly scattered, with exact sizes.
 */
export class IndexPermutation {
  private readonly half: number;
  private readonly mask: number;

  constructor(
    readonly n: number,
    private readonly seed: number,
  ) {
    if (n < 0 || n > 2 ** 30 || !Number.isInteger(n)) throw new RangeError(`permutation size ${n} out of range`);
    let bits = 2;
    while (2 ** bits < n) bits += 2;
    this.half = bits / 2;
    this.mask = 2 ** this.half - 1;
  }

  private round(value: number, round: number): number {
    return hash32(this.seed, round, value) & this.mask;
  }

  private encrypt(x: number): number {
    let left = x >>> this.half;
    let right = x & this.mask;
    for (let r = 0; r < 4; r++) [left, right] = [right, left ^ this.round(right, r)];
    return (left << this.half) | right;
  }

  private decrypt(x: number): number {
    let left = x >>> this.half;
    let right = x & this.mask;
    for (let r = 3; r >= 0; r--) [left, right] = [right ^ this.round(left, r), left];
    return (left << this.half) | right;
  }

  forward(i: number): number {
    let x = this.encrypt(i);
    while (x >= this.n) x = this.encrypt(x);
    return x;
  }

  inverse(p: number): number {
    let x = this.decrypt(p);
    while (x >= this.n) x = this.decrypt(x);
    return x;
  }
}
