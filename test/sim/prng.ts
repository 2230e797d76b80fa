/**
 * Small, fast, seedable randomness for the simulator. Every attribute of every generated record
 * is derived from `hash32(seed, index, stream)` so any record can be computed on its own, in any
 * order, without generating the ones before it (needed to serve page 2,999 of a 300,000-row list
 * without building the list).
 */

/** murmur3's 32-bit finalizer: turns nearby integers into unrelated ones. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of non-negative integers (any size up to 2^53) into one 32-bit seed. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold the high word in too, so seeds above 2^32 still matter.
    h = fmix32(h ^ fmix32(part >>> 0));
    h = fmix32(h ^ fmix32(Math.floor(part / 0x100000000) >>> 0));
  }
  return h;
}

/** FNV-1a of a string, to mix hostnames and URLs into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
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
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
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

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** (a * b) mod n without leaving the exact range of doubles, for n < 2^31. */
function mulMod(a: number, b: number, n: number): number {
  const high = (a * Math.floor(b / 65536)) % n;
  return (high * 65536 + a * (b % 65536)) % n;
}

function modInverse(a: number, n: number): number {
  let [r0, r1] = [n, a % n];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % n) + n) % n;
}

/**
 * A seeded bijection of [0, n) with O(1) forward and inverse: p = (a*i + b) mod n. The multiplier
 * sits near n/phi so consecutive indexes land far apart, which spreads contiguous buckets (the
 * categories) evenly over the index space while keeping their sizes exact.
 */
export class AffinePermutation {
  private readonly a: number;
  private readonly b: number;
  private readonly aInverse: number;

  constructor(
    readonly n: number,
    seed: number,
  ) {
    if (n < 0 || n >= 2 ** 31 || !Number.isInteger(n)) throw new RangeError(`permutation size ${n} out of range`);
    const size = Math.max(n, 1);
    let a = (Math.floor(size * 0.6180339887) + (hash32(seed, 1) % Math.max(1, Math.floor(size / 7)))) % size;
    if (a === 0) a = 1;
    while (gcd(a, size) !== 1) a = (a + 1) % size || 1;
    this.a = a;
    this.b = hash32(seed, 2) % size;
    this.aInverse = size === 1 ? 0 : modInverse(a, size);
  }

  forward(i: number): number {
    return (mulMod(this.a, i, this.n) + this.b) % this.n;
  }

  inverse(p: number): number {
    return mulMod(this.aInverse, (p - this.b + this.n) % this.n, this.n);
  }
}
