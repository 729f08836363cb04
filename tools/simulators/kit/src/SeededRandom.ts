/**
 * A small deterministic pseudo-random generator for simulators (sfc32 seeded through a string hash): the same
 * seed always yields the same data, so tests, the demo and benchmarks see identical datasets. Never use
 * `Math.random` in a simulator.
 *
 * @since 0.1.0
 */

/**
 * A stateful generator; each call advances it.
 *
 * @category models
 * @since 0.1.0
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max] (both inclusive). */
  readonly int: (min: number, max: number) => number
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** True with the given probability. */
  readonly chance: (probability: number) => boolean
}

/**
 * Hashes any text to a 32-bit unsigned integer (cyrb53's mixing, folded to 32 bits). Used to derive
 * independent streams from a seed and a key.
 *
 * @category constructors
 * @since 0.1.0
 */
export const hash = (text: string): number => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (h1 ^ h2) >>> 0
}

/**
 * A generator from a seed. A string key gives an independent stream per key, so row `i` of a dataset can be
 * generated on its own (`make(seed, "activity:" + i)`) without generating rows 0..i-1 first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (seed: number, key = ""): SeededRandom => {
  let a = hash(`${seed}|a|${key}`)
  let b = hash(`${seed}|b|${key}`)
  let c = hash(`${seed}|c|${key}`)
  let d = 1
  const nextUint32 = (): number => {
    // sfc32: a small, fast generator with good statistical quality for test data.
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  // Discard the first outputs: sfc32 mixes poorly in its first rounds.
  for (let i = 0; i < 12; i++) nextUint32()
  const next = (): number => nextUint32() / 4294967296
  const int = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`SeededRandom.int: invalid range [${min}, ${max}]`)
    }
    return min + Math.floor(next() * (max - min + 1))
  }
  const pick = <A>(items: ReadonlyArray<A>): A => {
    if (items.length === 0) throw new RangeError("SeededRandom.pick: empty array")
    return items[Math.floor(next() * items.length)] as A
  }
  const chance = (probability: number): boolean => next() < probability
  return { next, int, pick, chance }
}
