const MASK_64 = (1n << 64n) - 1n;

/** SplitMix64: a bijection on 64-bit values, so distinct counters give distinct ids. */
function splitMix64(value: bigint): bigint {
  let z = (value + 0x9e3779b97f4a7c15n) & MASK_64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}

/** Deterministic resource ids and request ids drawn from a seeded counter. */
export class IdSource {
  private counter = 0n;
  private readonly base: bigint;

  constructor(seed: number) {
    this.base = BigInt(Math.trunc(seed)) << 32n;
  }

  private next(): bigint {
    this.counter += 1n;
    return splitMix64((this.base + this.counter) & MASK_64);
  }

  /** An EC2-style id: prefix + "-" + 17 hex digits (e.g. ami-0a1b2c3d4e5f60718). */
  resourceId(prefix: string): string {
    return `${prefix}-0${this.next().toString(16).padStart(16, "0")}`;
  }

  /** A version-4-shaped UUID for request ids, event ids and message ids. */
  uuid(): string {
    const hex = `${this.next().toString(16).padStart(16, "0")}${this.next().toString(16).padStart(16, "0")}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** True when the id has the EC2 shape: prefix, dash, 8 or 17 lowercase hex digits. */
export function isWellFormedId(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}
