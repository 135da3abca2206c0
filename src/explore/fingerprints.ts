/**
 * A set of 64-bit state fingerprints (hash compaction, as in SPIN's -DHC): open addressing
 * with linear probing over two Uint32Arrays, at most half full. 8 bytes per slot, so 16 bytes
 * per stored state at worst. Two states with the same fingerprint are taken as one, with
 * probability about n²/2^65 for n states.
 */
export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used = new Uint8Array(0);
  size = 0;

  constructor(capacity = 1 << 12) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Bytes the table occupies. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.used.byteLength;
  }

  /** Add a fingerprint; returns false if it was already there. */
  add(h: number, l: number): boolean {
    if ((this.size + 1) * 2 > this.hi.length) this.grow();
    const mask = this.hi.length - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    while (this.used[i] === 1) {
      if (this.hi[i] === h && this.lo[i] === l) return false;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.hi[i] = h;
    this.lo[i] = l;
    this.size++;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const n = hi.length * 2;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.used = new Uint8Array(n);
    this.size = 0;
    for (let i = 0; i < hi.length; i++) if (used[i] === 1) this.add(hi[i]!, lo[i]!);
  }
}
