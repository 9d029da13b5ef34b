/**
 * The CLI's terminal: whether stdout / stderr are terminals, colour (only
 * on a terminal, never with `NO_COLOR`), a buffered binary-safe stdout,
 * tables, and human-readable numbers.
 *
 * @module
 */

const enc = new TextEncoder();

/** Whether stdout is a terminal. */
export function stdoutIsTty(): boolean {
  return Deno.stdout.isTerminal();
}

/** Whether stderr is a terminal. */
export function stderrIsTty(): boolean {
  return Deno.stderr.isTerminal();
}

/** Colour on stderr: a terminal and no `NO_COLOR`. */
export function stderrColor(): boolean {
  return stderrIsTty() && !Deno.noColor;
}

/** Colour on stdout: a terminal and no `NO_COLOR`. */
export function stdoutColor(): boolean {
  return stdoutIsTty() && !Deno.noColor;
}

/** ANSI styles that are no-ops when `on` is false. */
export function styles(on: boolean): {
  bold: (s: string) => string;
  red: (s: string) => string;
  dim: (s: string) => string;
  green: (s: string) => string;
} {
  const wrap = (a: number, b: number) => (s: string) =>
    on ? `\x1b[${a}m${s}\x1b[${b}m` : s;
  return {
    bold: wrap(1, 22),
    red: wrap(31, 39),
    dim: wrap(2, 22),
    green: wrap(32, 39),
  };
}

/** Writes all of `bytes` to a Deno writer. */
export async function writeAll(
  w: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await w.write(bytes.subarray(off));
}

/** One line on stderr (no buffering). */
export function errLine(text: string): void {
  const b = enc.encode(text.endsWith("\n") ? text : text + "\n");
  let off = 0;
  while (off < b.length) off += Deno.stderr.writeSync(b.subarray(off));
}

/**
 * Buffered stdout for records: bytes and text go into a buffer that is
 * written when it passes 64 KiB and on `flush()`.
 */
export class Output {
  #chunks: Uint8Array[] = [];
  #size = 0;
  readonly #limit: number;
  readonly #writer: { write(p: Uint8Array): Promise<number> };

  /**
   * @param writer where to write (default stdout)
   * @param limit buffer size that triggers a write
   */
  constructor(
    writer: { write(p: Uint8Array): Promise<number> } = Deno.stdout,
    limit = 64 * 1024,
  ) {
    this.#writer = writer;
    this.#limit = limit;
  }

  /** Bytes waiting in the buffer. */
  get pending(): number {
    return this.#size;
  }

  /** Queues bytes; writes when the buffer is full. */
  async bytes(b: Uint8Array): Promise<void> {
    if (b.length === 0) return;
    this.#chunks.push(b);
    this.#size += b.length;
    if (this.#size >= this.#limit) await this.flush();
  }

  /** Queues text (UTF-8). */
  text(s: string): Promise<void> {
    return this.bytes(enc.encode(s));
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const all = this.#chunks.length === 1
      ? this.#chunks[0]
      : concat(this.#chunks, this.#size);
    this.#chunks = [];
    this.#size = 0;
    await writeAll(this.#writer, all);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/**
 * A text table: columns padded, numbers right-aligned, the header bold when
 * `color` is on.
 *
 * @param headers column titles
 * @param rows cells (numbers are right-aligned)
 * @param color bold header
 */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  color = false,
): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length))
  );
  const numeric = headers.map((_, i) =>
    rows.length > 0 && rows.every((r) => typeof r[i] === "number")
  );
  const line = (r: readonly string[]) =>
    r.map((c, i) =>
      i === r.length - 1 && !numeric[i]
        ? c
        : numeric[i]
        ? c.padStart(widths[i])
        : c.padEnd(widths[i])
    ).join("  ");
  const { bold } = styles(color);
  return [
    bold(line(headers.map((h, i) => numeric[i] ? h.padStart(widths[i]) : h))),
    ...cells.map(line),
  ].join("\n") + "\n";
}

/** `12,345`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** `1.5 MB` (decimal units, as Kafka's perf tools). */
export function bytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

/** `1m05s`, `3.2s`, `850ms`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const rest = Math.floor(s % 60).toString().padStart(2, "0");
  return h > 0
    ? `${h}h${(m % 60).toString().padStart(2, "0")}m`
    : `${m}m${rest}s`;
}
