/** The public/private split of a phase's hidden items: picked by hand or by a seeded ratio. */

/** mulberry32: a small deterministic PRNG, so a ratio with a seed always gives the same split. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Split {
  public: string[]
  private: string[]
}

/** `ratio` (0..1) of the items go public, chosen by a Fisher–Yates shuffle seeded with `seed`; order of the input kept on each side. */
export function splitByRatio(items: string[], ratio: number, seed: number): Split {
  const ids = [...new Set(items)]
  const order = ids.map((_, i) => i)
  const next = rng(seed)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const nPublic = Math.round(Math.min(1, Math.max(0, ratio)) * ids.length)
  const pub = new Set(order.slice(0, nPublic))
  return {
    public: ids.filter((_, i) => pub.has(i)),
    private: ids.filter((_, i) => !pub.has(i)),
  }
}

/** Item ids from pasted text or a CSV's first column: one per line, header `id`/`item`/`item_id` skipped, blanks dropped. */
export function parseItemIds(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const first = line.split(/[,\t]/)[0].trim().replace(/^"|"$/g, '')
    if (!first) continue
    if (!out.length && /^(id|item|item_id|image|name)$/i.test(first)) continue
    if (!out.includes(first)) out.push(first)
  }
  return out
}
