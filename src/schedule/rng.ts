/**
 * The one source of randomness: a seeded xoroshiro128+ generator from pure-rand, passed
 * around explicitly. No unseeded randomness and no clock (same seed → same execution).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class Rng {
  private readonly gen: RandomGenerator;

  constructor(seed: number) {
    // xoroshiro128+ seeded with nearby small integers starts with correlated outputs (seeds 1,
    // 3, 5 made the same first choices); scramble the seed first (murmur3's 32-bit finalizer).
    this.gen = xoroshiro128plus(mix32(seed));
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : uniformInt(this.gen, 0, n - 1);
  }

  /** A uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return hi <= lo ? lo : uniformInt(this.gen, lo, hi);
  }
}

/** murmur3 fmix32: a bijection on 32-bit integers that spreads every input bit. */
function mix32(seed: number): number {
  let h = (seed ^ Math.floor(seed / 2 ** 32)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
