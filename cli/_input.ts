/**
 * What `produce` reads: records split on a delimiter (kcat's `-D`, with
 * `-K` for keys), or JSON lines (the objects `consume -J` writes), from
 * stdin or a file, byte for byte.
 *
 * JSON input objects: `value` and `key` (strings or `null`), `headers`
 * (`[[name, value], ...]` or `{ "name": value }`), `encoding` (`"base64"`:
 * value, key and header values are base64), and optionally `partition`
 * and `timestamp` (ms). Other fields (`topic`, `offset`, ...) are ignored.
 *
 * @module
 */

import { fromBase64, indexOf, utf8 } from "./_bytes.ts";
import { CliError } from "./_errors.ts";

/** One record to produce. */
export interface InputRecord {
  /** The value (`null`: a tombstone). */
  value: Uint8Array | null;
  /** The key. */
  key: Uint8Array | null;
  /** Headers. */
  headers: [string, Uint8Array | null][];
  /** The partition, when the input names one. */
  partition?: number;
  /** The timestamp in ms, when the input gives one. */
  timestamp?: number;
}

/** How delimited input becomes records. */
export interface DelimitedOptions {
  /** Between records (kcat `-D`, default newline). */
  delimiter: Uint8Array;
  /** Between key and value within a record (kcat `-K`). */
  keyDelimiter?: Uint8Array;
  /** Values are base64 (`--value-format base64`). */
  valueBase64: boolean;
  /** Keys are base64 (`--key-format base64`). */
  keyBase64: boolean;
  /** Key of records without one (kcat `-k`). */
  fixedKey?: Uint8Array;
  /** Headers of every record (kcat `-H`). */
  headers: [string, Uint8Array | null][];
  /** Empty records: skipped (kcat's default), sent as null (`-Z`), or sent empty. */
  empty: "skip" | "null" | "empty";
}

/**
 * Reads a byte stream chunk by chunk until it ends or `signal` aborts (then
 * the stream is cancelled and iteration stops).
 */
export async function* chunks(
  input: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const reader = input.getReader();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<{ done: true; value: undefined }>((resolve) => {
    onAbort = () => resolve({ done: true, value: undefined });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    for (;;) {
      const r = await Promise.race([reader.read(), aborted]);
      if (r.done) return;
      yield r.value;
    }
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Splits chunks on a delimiter; a last piece without delimiter counts too. */
export async function* split(
  source: AsyncIterable<Uint8Array>,
  delimiter: Uint8Array,
): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(0);
  for await (const chunk of source) {
    let data: Uint8Array;
    if (buf.length === 0) data = chunk;
    else {
      data = new Uint8Array(buf.length + chunk.length);
      data.set(buf);
      data.set(chunk, buf.length);
    }
    let start = 0;
    let from = Math.max(0, buf.length - delimiter.length + 1);
    for (;;) {
      const i = indexOf(data, delimiter, Math.max(start, from));
      if (i < 0) break;
      yield data.slice(start, i);
      start = i + delimiter.length;
      from = start;
    }
    buf = data.slice(start);
  }
  if (buf.length > 0) yield buf;
}

function b64(s: string, what: string, n: number): Uint8Array {
  const b = fromBase64(s);
  if (b === undefined) {
    throw new CliError(`record ${n}: the ${what} is not valid base64`);
  }
  return b;
}

/** Records from delimited input. */
export async function* delimitedRecords(
  source: AsyncIterable<Uint8Array>,
  o: DelimitedOptions,
): AsyncGenerator<InputRecord> {
  let n = 0;
  const nullEmpty = o.empty === "null";
  for await (const piece of split(source, o.delimiter)) {
    n++;
    if (piece.length === 0 && o.empty === "skip") continue;
    let key: Uint8Array | null = o.fixedKey ?? null;
    let value: Uint8Array | null = piece;
    if (o.keyDelimiter) {
      const i = indexOf(piece, o.keyDelimiter);
      if (i >= 0) {
        key = piece.subarray(0, i);
        value = piece.subarray(i + o.keyDelimiter.length);
        if (o.keyBase64) key = b64(new TextDecoder().decode(key), "key", n);
      }
    }
    if (o.valueBase64) value = b64(new TextDecoder().decode(value), "value", n);
    if (nullEmpty) {
      if (value.length === 0) value = null;
      if (key !== null && key.length === 0) key = null;
    }
    yield { value, key, headers: o.headers };
  }
}

function field(
  v: unknown,
  base64: boolean,
  what: string,
  n: number,
): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") {
    throw new CliError(
      `line ${n}: ${what} must be a string or null, got ${JSON.stringify(v)}`,
    );
  }
  return base64 ? b64(v, what, n) : utf8(v);
}

/** Records from JSON lines (see the module doc). */
export async function* jsonRecords(
  source: AsyncIterable<Uint8Array>,
  forceBase64 = false,
): AsyncGenerator<InputRecord> {
  const dec = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let n = 0;
  for await (const line of split(source, new Uint8Array([10]))) {
    n++;
    let text: string;
    try {
      text = dec.decode(line);
    } catch {
      throw new CliError(`line ${n}: not UTF-8 (JSON input is text)`);
    }
    if (text.trim() === "") continue;
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (e) {
      throw new CliError(`line ${n}: not JSON (${(e as Error).message})`);
    }
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      throw new CliError(`line ${n}: expected a JSON object`);
    }
    const r = o as Record<string, unknown>;
    if (
      r.encoding !== undefined && r.encoding !== "base64" &&
      r.encoding !== "utf8"
    ) {
      throw new CliError(
        `line ${n}: encoding must be "base64" or "utf8", got ${
          JSON.stringify(r.encoding)
        }`,
      );
    }
    const base64 = forceBase64 || r.encoding === "base64";
    const headers: [string, Uint8Array | null][] = [];
    const h = r.headers;
    if (Array.isArray(h)) {
      for (const pair of h) {
        if (
          !Array.isArray(pair) || pair.length !== 2 ||
          typeof pair[0] !== "string"
        ) {
          throw new CliError(
            `line ${n}: headers must be [name, value] pairs, got ${
              JSON.stringify(pair)
            }`,
          );
        }
        headers.push([pair[0], field(pair[1], base64, "header value", n)]);
      }
    } else if (typeof h === "object" && h !== null) {
      for (const [k, v] of Object.entries(h)) {
        headers.push([k, field(v, base64, "header value", n)]);
      }
    } else if (h !== undefined && h !== null) {
      throw new CliError(`line ${n}: headers must be an array or an object`);
    }
    const rec: InputRecord = {
      value: field(r.value, base64, "value", n),
      key: field(r.key, base64, "key", n),
      headers,
    };
    if (r.partition !== undefined && r.partition !== null) {
      if (!Number.isSafeInteger(r.partition) || (r.partition as number) < 0) {
        throw new CliError(
          `line ${n}: partition must be an integer of 0 or more`,
        );
      }
      rec.partition = r.partition as number;
    }
    if (r.timestamp !== undefined && r.timestamp !== null) {
      if (!Number.isSafeInteger(r.timestamp)) {
        throw new CliError(`line ${n}: timestamp must be an integer (ms)`);
      }
      if ((r.timestamp as number) >= 0) rec.timestamp = r.timestamp as number;
    }
    yield rec;
  }
}
