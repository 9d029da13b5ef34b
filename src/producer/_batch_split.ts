// Cutting records out of a batch (internal): the halves of a batch the
// broker refused as too large, and the records a MessageSet v0/v1 broker
// cannot take (headers). Messages, settle callbacks and the per-producer
// runs (with their payload bytes) follow their records.
import { RecordStaging } from "../records/mod.ts";
import { Batch, type BatchOwner, nextSequence } from "./_batch.ts";
import type { Accumulator } from "./_accumulator.ts";

/** The staged records of `b` (staged again from its encoded bytes if need be). */
function stagingOf(b: Batch): RecordStaging {
  if (b.staging === null) b.staging = RecordStaging.fromEncoded(b.encoded!);
  return b.staging;
}

/**
 * Moves the records of `b` for which `take(i)` holds into `into` (which
 * must be empty), keeping their order in both; `overhead` is the
 * estimated framing bytes per record.
 */
export function moveRecords(
  b: Batch,
  into: Batch,
  take: (index: number) => boolean,
  overhead: number,
): void {
  const staging = stagingOf(b);
  const sizes = staging.recordSizes();
  const keep = staging.filter((i) => !take(i));
  const moved = staging.filter(take);
  staging.release();
  const n = b.count;
  const owners = b.owners, ends = b.ends;
  const msgs = b.msgs, settles = b.settles;
  b.owners = [];
  b.ends = [];
  b.ownerBytes = [];
  b.msgs = null;
  b.settles = null;
  b.count = 0;
  let seg = 0;
  for (let i = 0; i < n; i++) {
    while (i >= ends[seg]) seg++;
    const x = take(i) ? into : b;
    const j = x.count++;
    const m = msgs?.[i];
    if (m !== undefined) {
      const xs = x.msgs ??= [];
      while (xs.length < j) xs.push(undefined);
      xs.push(m);
    }
    const s = settles?.[i];
    if (s !== undefined) {
      const xs = x.settles ??= [];
      while (xs.length < j) xs.push(undefined);
      xs.push(s);
    }
    const owner: BatchOwner = owners[seg];
    const last = x.owners.length - 1;
    if (last >= 0 && x.owners[last] === owner) {
      x.ends[last] = j + 1;
      x.ownerBytes[last] += sizes[i];
    } else {
      x.owners.push(owner);
      x.ends.push(j + 1);
      x.ownerBytes.push(sizes[i]);
    }
  }
  b.staging = keep;
  into.staging?.release();
  into.staging = moved;
  for (const x of [b, into]) {
    x.payloadBytes = 0;
    for (const v of x.ownerBytes) x.payloadBytes += v;
    x.bytes = x.payloadBytes + x.count * overhead;
    x.encoded = null;
    x.encodedMagic = -1;
  }
}

/**
 * Splits `b`, which the broker refused as too large, in two halves that
 * take its place in the queue: `b` keeps the first half, the returned
 * batch holds the second. Sent batches keep their sequence range (the
 * broker never stored the refused batch), so later batches stay valid.
 */
export function splitBatch(
  b: Batch,
  acc: Accumulator,
  overhead: number,
): Batch {
  const mid = b.count >> 1;
  const refusedBytes = b.bytes;
  b.span /= 2;
  const second = new Batch(b.ps, null, b.serial + b.span, b.gen, b.createdAt);
  second.span = b.span;
  second.attempts = b.attempts;
  acc.countBatch(b.gen);
  moveRecords(b, second, (i) => i >= mid, overhead);
  const ps = b.ps;
  if (!b.split) {
    b.split = true;
    ps.splitting++;
  }
  second.split = true;
  ps.splitting++;
  if (b.baseSequence !== -1) {
    second.baseSequence = nextSequence(b.baseSequence, b.count);
    second.producerId = b.producerId;
    second.producerEpoch = b.producerEpoch;
  }
  b.retryAt = 0;
  ps.batchLimit = Math.max(overhead + 1, Math.min(ps.batchLimit, refusedBytes));
  for (const o of new Set([...b.owners, ...second.owners])) {
    o.counters.batchSplits++;
  }
  return second;
}
