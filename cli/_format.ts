/**
 * How `consume` prints records: the value only (kcat's default, with `-K`
 * for keys), JSON lines, or a kcat-like `--format` string. Bytes go out as
 * they are (binary-safe), or as base64 with `--binary base64`.
 *
 * JSON lines (`--output json`, `-J`), one object per record:
 *
 * ```text
 * {"topic":"t","partition":0,"offset":5,"timestamp":1767225600000,
 *  "timestampType":"CreateTime","key":"k","value":"v","headers":[["h","x"]]}
 * ```
 *
 * `key`, `value` and header values are text when every one of them is
 * valid UTF-8 and `null` when absent. Otherwise (or always, with
 * `--binary base64`) the record has `"encoding":"base64"` and those fields
 * are base64. `produce --input json` reads the same objects back, so
 * `consume -J | produce --input json` copies records byte for byte.
 *
 * @module
 */

import type { Message } from "../mod.ts";
import { toBase64, utf8, utf8Text } from "./_bytes.ts";
import { UsageError } from "./_errors.ts";

/** How bytes are printed: as they are, or base64. */
export type BinaryMode = "raw" | "base64";

/** One record as printed (pieces of bytes). */
export type RecordRenderer = (m: Message) => Uint8Array[];

/** The JSON object of a record (see the module doc). */
export interface JsonRecord {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** Offset. */
  offset: number;
  /** Timestamp in ms since the epoch, -1 if none. */
  timestamp: number;
  /** `CreateTime`, `LogAppendTime` or `null` (no timestamp). */
  timestampType: "CreateTime" | "LogAppendTime" | null;
  /** Key (text, or base64 with `encoding`), `null` if none. */
  key: string | null;
  /** Value (text, or base64 with `encoding`), `null` for a tombstone. */
  value: string | null;
  /** Headers as `[name, value]` pairs (values as key and value). */
  headers: [string, string | null][];
  /** `"base64"` when key, value and header values are base64. */
  encoding?: "base64";
}

const NL = new Uint8Array([10]);

function tsType(m: Message): JsonRecord["timestampType"] {
  if (m.timestamp < 0) return null;
  return m.timestampType === 1 ? "LogAppendTime" : "CreateTime";
}

/** The JSON object of a record. */
export function jsonRecord(m: Message, binary: BinaryMode): JsonRecord {
  const fields = [m.partitionKey, m.value, ...m.headers.map(([, v]) => v)];
  let texts: (string | null)[] | undefined;
  if (binary === "raw") {
    texts = [];
    for (const f of fields) {
      if (f === null) {
        texts.push(null);
        continue;
      }
      const t = utf8Text(f);
      if (t === undefined) {
        texts = undefined;
        break;
      }
      texts.push(t);
    }
  }
  const out = texts ??
    fields.map((f) => f === null ? null : toBase64(f));
  const rec: JsonRecord = {
    topic: m.topic,
    partition: m.partitionId,
    offset: m.offset,
    timestamp: m.timestamp,
    timestampType: tsType(m),
    key: out[0],
    value: out[1],
    headers: m.headers.map(([k], i) => [k, out[i + 2]]),
  };
  if (!texts) rec.encoding = "base64";
  return rec;
}

/** JSON lines. */
export function jsonRenderer(binary: BinaryMode): RecordRenderer {
  return (m) => [utf8(JSON.stringify(jsonRecord(m, binary))), NL];
}

function field(
  b: Uint8Array | null,
  binary: BinaryMode,
  nullText: Uint8Array,
): Uint8Array {
  if (b === null) return nullText;
  return binary === "base64" ? utf8(toBase64(b)) : b;
}

/**
 * kcat's default output: the value, preceded by the key and `keyDelimiter`
 * when one is given, followed by `delimiter`.
 */
export function valueRenderer(
  delimiter: Uint8Array,
  keyDelimiter: Uint8Array | undefined,
  binary: BinaryMode,
  nullText: Uint8Array,
): RecordRenderer {
  return (m) => {
    const out: Uint8Array[] = [];
    if (keyDelimiter) {
      out.push(field(m.partitionKey, binary, nullText), keyDelimiter);
    }
    out.push(field(m.value, binary, nullText), delimiter);
    return out;
  };
}

function int32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
}

/**
 * A kcat `-f` format string: `%t` topic, `%p` partition, `%o` offset,
 * `%k` key, `%K` key length (-1 for none), `%s` value, `%S` value length
 * (-1 for none), `%R` value length as a big-endian 32-bit integer, `%T`
 * timestamp in ms (-1 for none), `%h` headers as `name=value` separated by
 * commas, `%%` a percent sign; `\n`, `\r`, `\t`, `\\` and `\xNN` escapes.
 *
 * @param format the format string
 * @param binary how keys, values and header values are printed
 * @param nullText what a missing key or value prints (empty, or `NULL` with `-Z`)
 * @param command for usage errors
 */
export function formatRenderer(
  format: string,
  binary: BinaryMode,
  nullText: Uint8Array,
  command: readonly string[] = [],
): RecordRenderer {
  type Part = Uint8Array | ((m: Message) => Uint8Array);
  const parts: Part[] = [];
  let lit: number[] = [];
  const flush = () => {
    if (lit.length) parts.push(new Uint8Array(lit));
    lit = [];
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "\\" && i + 1 < format.length) {
      const n = format[++i];
      if (n === "n") lit.push(10);
      else if (n === "r") lit.push(13);
      else if (n === "t") lit.push(9);
      else if (n === "\\") lit.push(92);
      else if (n === "0") lit.push(0);
      else if (
        n === "x" && /^[0-9a-fA-F]{2}$/.test(format.slice(i + 1, i + 3))
      ) {
        lit.push(parseInt(format.slice(i + 1, i + 3), 16));
        i += 2;
      } else lit.push(92, ...utf8(n));
      continue;
    }
    if (c !== "%") {
      lit.push(...utf8(c));
      continue;
    }
    const t = format[++i];
    if (t === "%") {
      lit.push(37);
      continue;
    }
    flush();
    switch (t) {
      case "t":
        parts.push((m) => utf8(m.topic));
        break;
      case "p":
        parts.push((m) => utf8(String(m.partitionId)));
        break;
      case "o":
        parts.push((m) => utf8(String(m.offset)));
        break;
      case "T":
        parts.push((m) => utf8(String(m.timestamp)));
        break;
      case "k":
        parts.push((m) => field(m.partitionKey, binary, nullText));
        break;
      case "K":
        parts.push((m) =>
          utf8(String(m.partitionKey === null ? -1 : m.partitionKey.length))
        );
        break;
      case "s":
        parts.push((m) => field(m.value, binary, nullText));
        break;
      case "S":
        parts.push((m) => utf8(String(m.value === null ? -1 : m.value.length)));
        break;
      case "R":
        parts.push((m) => int32be(m.value === null ? -1 : m.value.length));
        break;
      case "h":
        parts.push((m) => {
          const out: Uint8Array[] = [];
          m.headers.forEach(([k, v], i) => {
            if (i > 0) out.push(utf8(","));
            out.push(utf8(`${k}=`));
            if (v !== null) out.push(field(v, binary, nullText));
          });
          return concat(out);
        });
        break;
      default:
        throw new UsageError(
          `--format: unknown token %${
            t ?? ""
          } (known: %t %p %o %k %K %s %S %R %T %h %%)`,
          command,
        );
    }
  }
  flush();
  return (m) => parts.map((p) => typeof p === "function" ? p(m) : p);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
