// The producer's message: a records `Message` that also reads as a
// `RecordInput` (`key`), so a batch's messages go to encodeRecords as they
// are, without a copy per record. Built from positional arguments (no
// init object per message) and, without headers, with one shared frozen
// empty headers array: produce() is the hot path.
import {
  type CompressionType,
  Message,
  type MessageInit,
} from "../records/mod.ts";

/** The `headers` of every message produced without headers (frozen). */
export const NO_HEADERS: [string, Uint8Array | null][] = Object.freeze(
  [],
) as unknown as [string, Uint8Array | null][];

const INIT: MessageInit<Uint8Array | null, Uint8Array | null> = {
  value: null,
  partitionKey: null,
  offset: -1,
  partitionId: -1,
  topic: "",
  timestamp: -1,
  headers: NO_HEADERS,
  compressionType: 0,
  protocolVersion: 2,
};

/** A message queued by a producer (internal). */
export class ProducedMessage extends Message {
  constructor(
    value: Uint8Array | null,
    key: Uint8Array | null,
    partitionId: number,
    topic: string,
    timestamp: number,
    headers: [string, Uint8Array | null][] | undefined,
    compression: CompressionType,
  ) {
    super(INIT);
    this.value = value;
    this.partitionKey = key;
    this.partitionId = partitionId;
    this.topic = topic;
    this.timestamp = timestamp;
    if (headers !== undefined) this.headers = headers;
    this.compressionType = compression;
  }

  /** The key bytes (`partitionKey`), as `encodeRecords` reads them. */
  get key(): Uint8Array | null {
    return this.partitionKey;
  }
}

/** Bytes of a message's value, key and headers (an upper bound for headers). */
export function payloadSize(m: Message): number {
  let n = (m.value?.length ?? 0) + (m.partitionKey?.length ?? 0);
  const hs = m.headers;
  for (let i = 0; i < hs.length; i++) {
    n += 6 + hs[i][0].length * 3 + (hs[i][1]?.length ?? 0);
  }
  return n;
}
