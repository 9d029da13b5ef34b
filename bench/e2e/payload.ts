/**
 * Record values shared by every peer: printable, JSON-like lines of exactly
 * `size` bytes (no newline inside), deterministic, moderately compressible
 * (LZ4 finds repeated keys and words, as in real event streams).
 *
 * @module
 */

const WORDS = [
  "page_view",
  "click",
  "purchase",
  "signup",
  "logout",
  "search",
  "add_to_cart",
  "checkout",
  "products",
  "shoes",
  "shirts",
  "books",
  "garden",
  "kitchen",
  "Mozilla/5.0",
  "(X11; Linux x86_64)",
  "Chrome/128.0",
  "Safari/537.36",
  "en-US",
  "de-DE",
  "fr-FR",
  "mobile",
  "desktop",
  "tablet",
  "referrer",
  "campaign",
  "summer",
  "winter",
  "newsletter",
  "organic",
  "paid",
  "social",
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One value line of exactly `size` ASCII bytes. */
export function makeValue(rand: () => number, i: number, size: number): string {
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
  let s =
    `{"id":${100000 + i},"ts":${
      1_700_000_000_000 + Math.floor(rand() * 1e9)
    },` +
    `"user":"user-${Math.floor(rand() * 10000)}","event":"${pick()}",` +
    `"path":"/${pick()}/${pick()}/${
      Math.floor(rand() * 100000)
    }","ua":"${pick()} ${pick()}",` +
    `"tags":[`;
  while (s.length < size) {
    s += `"${pick()}-${Math.floor(rand() * 1000)}",`;
  }
  return s.slice(0, size - 2) + "]}";
}

/** `count` distinct value lines of `size` bytes, newline-terminated. */
export function payloadText(size: number, count = 1000): string {
  if (size < 8) throw new RangeError("record size must be at least 8 bytes");
  const rand = mulberry32(0xdeca + size);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(makeValue(rand, i, size));
  return lines.join("\n") + "\n";
}

/**
 * Writes (once) the payload file of `size`-byte values and, when `records` is
 * given, a file with `records` lines cycling through them (kcat reads its
 * input from such a file). Returns the paths.
 */
export async function ensurePayloadFiles(
  dir: string,
  size: number,
  records?: number,
): Promise<{ payloadFile: string; recordsFile?: string }> {
  await Deno.mkdir(dir, { recursive: true });
  const payloadFile = `${dir}/payload-${size}.txt`;
  const text = payloadText(size);
  try {
    const existing = await Deno.readTextFile(payloadFile);
    if (existing !== text) await Deno.writeTextFile(payloadFile, text);
  } catch {
    await Deno.writeTextFile(payloadFile, text);
  }
  if (records === undefined) return { payloadFile };
  const recordsFile = `${dir}/records-${size}-${records}.txt`;
  const want = records * (size + 1);
  const stat = await Deno.stat(recordsFile).catch(() => null);
  if (!stat || stat.size !== want) {
    const lines = new TextEncoder().encode(text);
    const perLine = size + 1;
    const file = await Deno.open(recordsFile, {
      write: true,
      create: true,
      truncate: true,
    });
    try {
      const chunkLines = 10000;
      const chunk = new Uint8Array(chunkLines * perLine);
      const distinct = lines.length / perLine;
      for (let i = 0; i < records; i += chunkLines) {
        const n = Math.min(chunkLines, records - i);
        for (let j = 0; j < n; j++) {
          const src = ((i + j) % distinct) * perLine;
          chunk.set(lines.subarray(src, src + perLine), j * perLine);
        }
        let off = 0;
        const view = chunk.subarray(0, n * perLine);
        while (off < view.length) off += await file.write(view.subarray(off));
      }
    } finally {
      file.close();
    }
  }
  return { payloadFile, recordsFile };
}
