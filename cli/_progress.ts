/**
 * A progress bar on stderr for long operations (records, MB/s, ETA). It
 * draws only when stderr is a terminal, at most every 100 ms, on one line
 * that it clears when done; piped, it writes nothing.
 *
 * @module
 */

import { bytes as fmtBytes, count, duration, stderrColor } from "./_io.ts";

const enc = new TextEncoder();

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Shown first (`produce`, `consume`). */
  label: string;
  /** Records expected, for the bar and the ETA. */
  total?: number;
  /** Input bytes expected (a file's size), for the bar and the ETA when `total` is unknown. */
  totalBytes?: number;
  /** Draw at all (default: stderr is a terminal). */
  enabled?: boolean;
  /** Least time between redraws in ms (default 100). */
  intervalMs?: number;
}

/**
 * The progress bar.
 *
 * @example
 * ```ts
 * const p = new Progress({ label: "produce", total: 100_000 }); // draws when stderr is a terminal
 * for (let i = 1; i <= 100_000; i++) p.update(i, i * 100);
 * p.finish();
 * ```
 */
export class Progress {
  readonly #o: ProgressOptions;
  readonly #enabled: boolean;
  readonly #color: boolean;
  readonly #start = performance.now();
  #last = 0;
  /** When the first record was counted: rates run from there. */
  #first: number | undefined;
  #records = 0;
  #bytes = 0;
  #inputBytes = 0;
  #drawn = false;

  /** @param options label, totals, whether to draw */
  constructor(options: ProgressOptions) {
    this.#o = options;
    this.#enabled = options.enabled ?? Deno.stderr.isTerminal();
    this.#color = this.#enabled && stderrColor();
  }

  /** Whether it draws. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Milliseconds since it was made. */
  get elapsedMs(): number {
    return performance.now() - this.#start;
  }

  /**
   * Sets the counts (records done, payload bytes done, input bytes read)
   * and redraws when due.
   */
  update(records: number, payloadBytes: number, inputBytes = 0): void {
    this.#records = records;
    this.#bytes = payloadBytes;
    this.#inputBytes = inputBytes;
    if (!this.#enabled) return;
    const now = performance.now();
    if (this.#first === undefined) {
      if (records === 0) return;
      this.#first = now;
    }
    const interval = this.#o.intervalMs ?? 100;
    // Rates need some time to mean anything.
    if (
      now - this.#last < interval || now - this.#start < 2 * interval ||
      now - this.#first < interval
    ) {
      return;
    }
    this.#last = now;
    this.#draw(now);
  }

  #fraction(): number | undefined {
    if (this.#o.total !== undefined && this.#o.total > 0) {
      return Math.min(1, this.#records / this.#o.total);
    }
    if (this.#o.totalBytes !== undefined && this.#o.totalBytes > 0) {
      return Math.min(1, this.#inputBytes / this.#o.totalBytes);
    }
    return undefined;
  }

  #draw(now: number): void {
    const secs = Math.max(1e-3, (now - (this.#first ?? this.#start)) / 1000);
    const f = this.#fraction();
    let cols = 80;
    try {
      cols = Deno.consoleSize().columns || 80;
    } catch { /* not a terminal after all */ }
    const recs = this.#o.total !== undefined
      ? `${count(this.#records)}/${count(this.#o.total)}`
      : `${count(this.#records)} records`;
    const mbs = `${fmtBytes(this.#bytes / secs)}/s`;
    const rps = `${count(this.#records / secs)} rec/s`;
    let eta = "";
    if (f !== undefined && f > 0 && f < 1) {
      eta = `ETA ${duration((secs / f - secs) * 1000)}`;
    } else eta = duration(now - this.#start);
    let bar = "";
    if (f !== undefined) {
      const width = Math.max(
        10,
        Math.min(30, cols - this.#o.label.length - 60),
      );
      const filled = Math.round(f * width);
      bar = `[${
        "=".repeat(Math.max(0, filled - 1)) +
        (filled > 0 ? (f >= 1 ? "=" : ">") : "") +
        " ".repeat(width - filled)
      }] ${Math.floor(f * 100).toString().padStart(3)}%`;
    }
    const build = (withRps: boolean) =>
      [this.#o.label, bar, recs, mbs, withRps ? rps : "", eta]
        .filter((x) => x !== "").join("  ");
    let line = build(true);
    if (line.length > cols - 1) line = build(false);
    if (line.length > cols - 1) line = line.slice(0, cols - 1);
    if (this.#color) {
      line = line.replace(/\[([=> ]+)\]/, "[\x1b[32m$1\x1b[39m]");
    }
    Deno.stderr.writeSync(enc.encode(`\r${line}\x1b[K`));
    this.#drawn = true;
  }

  /** Clears the bar. */
  finish(): void {
    if (this.#drawn) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
    this.#drawn = false;
  }
}
