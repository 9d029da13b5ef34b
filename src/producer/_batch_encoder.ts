// Encoding a batch for the record format its leader takes (internal): a
// RecordBatch v2 stamped with the producer id, epoch and sequence under
// idempotence, or a MessageSet v0/v1 for old brokers (records with headers
// fail there, the rest go). The encoded bytes are kept so a retry resends
// exactly the same batch; a batch encoded before in another format (its
// leader moved to a broker of another version) is decoded back first.
import { UnsupportedForMessageFormat } from "../errors/mod.ts";
import { type CompressionType, RecordStaging } from "../records/mod.ts";
import { Batch } from "./_batch.ts";
import { moveRecords } from "./_batch_split.ts";
import type { Idempotence } from "./_idempotence.ts";

/** Upper bound of one record's framing in format `magic` (lengths, deltas). */
export function recordOverhead(magic: number): number {
  return magic === 2 ? 24 : magic === 1 ? 34 : 26;
}

/** What encoding a batch needs of the engine. */
export interface EncodeContext {
  readonly idem: Idempotence;
  readonly compression: CompressionType;
  readonly compressionLevel: number;
  /** The producer is transactional (the batch is marked so). */
  readonly transactional: boolean;
  /** The accumulator's per-record overhead now. */
  readonly recordOverhead: number;
  /** The batch is finished (delivered with `null`, or failed). */
  finish(b: Batch, err: Error | null): void;
  /** Records split off a batch are finished (not a batch of the queue). */
  complete(b: Batch, err: Error | null): void;
}

/**
 * The bytes of `b` in format `magic`, or `null` when no record is left to
 * send (every record failed in this format; the batch is finished).
 */
export function encodeBatch(
  b: Batch,
  magic: number,
  ctx: EncodeContext,
): Uint8Array | null {
  const idem = ctx.idem;
  const stamped = idem.enabled && magic === 2;
  if (b.encoded !== null && b.encodedMagic === magic) {
    if (stamped && idem.needsSequence(b)) {
      idem.assign(b);
      idem.restamp(b);
    }
    return b.encoded;
  }
  if (b.staging === null) {
    // Encoded before in another format (a leader on another version).
    b.staging = RecordStaging.fromEncoded(b.encoded!);
  }
  if (magic < 2) dropHeadered(b, magic, ctx);
  if (b.count === 0) {
    ctx.finish(b, null);
    return null;
  }
  if (stamped && idem.needsSequence(b)) idem.assign(b);
  b.encoded = b.staging!.encode({
    magic: magic as 0 | 1 | 2,
    compression: ctx.compression,
    compressionLevel: ctx.compressionLevel,
    producerId: stamped ? b.producerId : -1,
    producerEpoch: stamped ? b.producerEpoch : -1,
    baseSequence: stamped ? b.baseSequence : -1,
    isTransactional: ctx.transactional,
  });
  b.encodedMagic = magic;
  b.dropStaging();
  if (magic !== 2 && b.msgs !== null) {
    for (const m of b.msgs) {
      if (m === undefined) continue;
      m.protocolVersion = magic as 0 | 1;
      if (magic === 0) m.timestamp = -1;
    }
  }
  return b.encoded;
}

/** MessageSet v0/v1 have no headers: those records fail, the rest go. */
function dropHeadered(b: Batch, magic: number, ctx: EncodeContext): void {
  const staging = b.staging;
  if (staging === null) return;
  let any = false;
  for (let i = 0; i < b.count && !any; i++) any = staging.hasHeaders(i);
  if (!any) return;
  const failed = new Batch(b.ps, null, -1, -1, b.createdAt);
  moveRecords(b, failed, (i) => staging.hasHeaders(i), ctx.recordOverhead);
  ctx.complete(
    failed,
    new UnsupportedForMessageFormat(
      `headers need record format v2 (Kafka 0.11+); the broker takes format v${magic}`,
    ),
  );
  failed.dropStaging();
}
