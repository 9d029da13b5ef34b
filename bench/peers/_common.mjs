// Shared helpers for the JavaScript peer scripts of the end-to-end benchmark
// (bench/e2e). Runs unchanged under Deno and Node: only `node:` built-ins.
//
// A peer script is started as `<runtime> <script> '<spec json>'` and prints
// exactly one result line on stdout:
//   {"result":"denokafka-bench/1", "records":N, "bytes":B, "elapsedMs":T, ...}
// or, when it cannot run, {"result":"denokafka-bench/1","unavailable":"reason"}.

import { readFileSync } from "node:fs";
import process from "node:process";

/** Marker that identifies a result line. */
export const RESULT_TAG = "denokafka-bench/1";

/** True under Deno. */
export const isDeno = typeof globalThis.Deno !== "undefined";

/** Runtime name and version, e.g. "deno 2.9.6" or "node v20.20.2". */
export function runtimeName() {
  return isDeno
    ? `deno ${globalThis.Deno.version.deno}`
    : `node ${process.version}`;
}

/** Parses the spec handed over as the first argument. */
export function readSpec() {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: <script> '<spec json>'");
  return JSON.parse(raw);
}

/** Prints the result line. */
export function emit(result) {
  process.stdout.write(
    JSON.stringify({ result: RESULT_TAG, ...result }) + "\n",
  );
}

/** Prints an "unavailable" line and exits with code 3. */
export function unavailable(reason) {
  emit({ unavailable: reason });
  process.exit(3);
}

/** Monotonic milliseconds. */
export const now = () => performance.now();

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Loads the payload file: one record value per line, all of the same size. */
export function loadPayloads(file) {
  const buf = readFileSync(file);
  const out = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10) {
      out.push(buf.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

/** p50 / p99 / max of latency samples (ms). */
export function percentiles(samples) {
  if (samples.length === 0) return null;
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(s[s.length - 1]),
    count: s.length,
  };
}

/**
 * Calls `send(i)` for i = 0..count-1 at `rate` calls per second (paced on a
 * 1 ms tick; calls that fall due in the same tick are made together).
 * `stop()` returning true ends early. Resolves with the number sent.
 */
export async function paced(rate, count, send, stop = () => false) {
  const t0 = now();
  let i = 0;
  while (i < count && !stop()) {
    const due = Math.min(count, Math.floor(((now() - t0) * rate) / 1000) + 1);
    while (i < due) send(i++);
    await sleep(1);
  }
  return i;
}

/** Limits concurrent promises to `n` in flight. */
export function inflightLimiter(n) {
  let active = 0;
  const waiters = [];
  let firstError = null;
  return {
    async run(fn) {
      while (active >= n) await new Promise((r) => waiters.push(r));
      if (firstError) throw firstError;
      active++;
      fn().catch((e) => {
        firstError ??= e;
      }).finally(() => {
        active--;
        waiters.shift()?.();
      });
    },
    async drain() {
      while (active > 0) await new Promise((r) => waiters.push(r));
      if (firstError) throw firstError;
    },
  };
}

/**
 * End-to-end value layout: ASCII "<tag>:<seq>:" followed by payload bytes,
 * padded or cut to `size`. The consumer recovers tag and seq from it.
 */
export function e2eValue(tag, seq, payload, size) {
  const head = new TextEncoder().encode(`${tag}:${seq}:`);
  const v = new Uint8Array(Math.max(size, head.length));
  v.set(payload.subarray(0, v.length));
  v.set(head, 0);
  return v;
}

/** Parses "<tag>:<seq>:" from an end-to-end value; null if the tag differs. */
export function parseE2e(tag, value) {
  if (!value || value.length < tag.length + 2) return null;
  for (let i = 0; i < tag.length; i++) {
    if (value[i] !== tag.charCodeAt(i)) return null;
  }
  if (value[tag.length] !== 58) return null;
  let seq = 0;
  for (let i = tag.length + 1; i < value.length; i++) {
    const c = value[i];
    if (c === 58) return seq;
    seq = seq * 10 + (c - 48);
  }
  return null;
}

/**
 * Runs the end-to-end latency protocol shared by every peer:
 *  - `send(value, onAck)` produces one record;
 *  - the consumer calls `received(value)` for every record it sees;
 *  - the consumer starts at the latest offsets; warm-up records are sent at
 *    the target rate until `spec.warmupMs` after the consumer saw the first
 *    of them (so group joins, offset look-ups and first fetches are not
 *    measured), then `spec.records` measured records follow at `spec.rate`;
 *    records the consumer never sees are reported as `missing`;
 *  - latency = consume time - produce call time, same monotonic clock.
 */
export function e2eSession(spec, payloads) {
  const tag = `e${Math.floor(Math.random() * 1e9).toString(36)}`;
  const total = spec.records;
  const sentAt = new Float64Array(total);
  const seen = new Uint8Array(total);
  const latencies = [];
  let warmFirstSeenAt = null;
  let measuredSeen = 0;
  return {
    tag,
    received(value) {
      const seq = parseE2e(tag, value);
      if (seq === null) return;
      const t = now();
      if (seq >= 1e9) {
        warmFirstSeenAt ??= t;
        return;
      }
      if (seq < total && !seen[seq]) {
        seen[seq] = 1;
        measuredSeen++;
        latencies.push(t - sentAt[seq]);
      }
    },
    get done() {
      return measuredSeen >= total;
    },
    async run(send) {
      const warmDeadline = now() + (spec.warmupTimeoutMs ?? 30000);
      let w = 0;
      const size = spec.size;
      const warmupMs = spec.warmupMs ?? 1000;
      while (warmFirstSeenAt === null || now() - warmFirstSeenAt < warmupMs) {
        if (now() > warmDeadline) {
          throw new Error("consumer saw no warm-up record in time");
        }
        await paced(spec.rate, Math.max(1, Math.floor(spec.rate / 100)), () => {
          send(e2eValue(tag, 1e9 + w, payloads[w % payloads.length], size));
          w++;
        });
        await sleep(10);
      }
      const t0 = now();
      await paced(spec.rate, total, (i) => {
        const v = e2eValue(tag, i, payloads[i % payloads.length], size);
        sentAt[i] = now();
        send(v);
      });
      const sendEnd = now();
      const deadline = sendEnd + (spec.drainTimeoutMs ?? 15000);
      while (measuredSeen < total && now() < deadline) await sleep(5);
      return {
        records: measuredSeen,
        missing: total - measuredSeen,
        bytes: measuredSeen * size,
        elapsedMs: sendEnd - t0,
        warmupRecords: w,
        latencyMs: percentiles(latencies),
      };
    },
  };
}

/**
 * A user-level linger for clients without an accumulator (kafkajs, and
 * @platformatic/kafka's send()): items are collected for `lingerMs` (or until
 * `maxItems`), then handed to `sendBatch(items)` in one call. Returns
 * `{ add(item), flush(), pending() }`; `pending()` resolves when every batch
 * handed out so far has settled.
 */
export function lingerBatcher(lingerMs, maxItems, sendBatch) {
  let buf = [];
  let timer = null;
  const inflight = new Set();
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (buf.length === 0) return;
    const items = buf;
    buf = [];
    const p = Promise.resolve(sendBatch(items)).catch(() => {});
    inflight.add(p);
    p.finally(() => inflight.delete(p));
  };
  return {
    add(item) {
      buf.push(item);
      if (buf.length >= maxItems) flush();
      else if (timer === null) timer = setTimeout(flush, lingerMs);
    },
    flush,
    async pending() {
      flush();
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}
