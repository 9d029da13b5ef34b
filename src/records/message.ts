/**
 * {@linkcode Message}: one Kafka record as the producer reports it and the
 * consumers yield it, with pykafka's field names.
 *
 * @module
 */
import type { CompressionType } from "./compression_type.ts";
import { TimestampType } from "./timestamp_type.ts";

/** The fields of a {@linkcode Message}, for its constructor. */
export interface MessageInit<V, K> {
  /** The value (after the consumer's deserializer, if any). */
  value: V;
  /** The key (pykafka's `partition_key`). */
  partitionKey: K;
  /** The record's offset in its partition (-1 before a producer learns it). */
  offset: number;
  /** The partition the record is in (or was sent to). */
  partitionId: number;
  /** The topic name. */
  topic: string;
  /** Timestamp in ms since the epoch; -1 when the format has none (MessageSet v0). */
  timestamp: number;
  /** Whether the timestamp was set by the producer or by the broker. */
  timestampType?: TimestampType;
  /** Headers as `[key, value]` pairs (RecordBatch v2 only). */
  headers?: [string, Uint8Array | null][];
  /** The codec of the batch the record was in (or is sent with). */
  compressionType: CompressionType;
  /** The record format: 0 and 1 (MessageSet), 2 (RecordBatch). */
  protocolVersion: 0 | 1 | 2;
}

/**
 * One Kafka record with pykafka's field names: `value`, `partitionKey`,
 * `offset`, `partitionId`, `timestamp`, `headers`, `compressionType` and
 * `protocolVersion`, plus `topic` and `timestampType`.
 *
 * `value` and `partitionKey` are `Uint8Array | null` unless a consumer's
 * `deserializer` (or a producer's `serializer` input) changes their types;
 * `null` (a tombstone) and an empty value stay distinct.
 *
 * @typeParam V the type of `value`
 * @typeParam K the type of `partitionKey`
 *
 * @example
 * ```ts
 * import { CompressionType, Message } from "./mod.ts";
 * const m = new Message({
 *   value: new TextEncoder().encode("hello"),
 *   partitionKey: null,
 *   offset: 41,
 *   partitionId: 0,
 *   topic: "greetings",
 *   timestamp: Date.now(),
 *   compressionType: CompressionType.NONE,
 *   protocolVersion: 2,
 * });
 * console.assert(m.headers.length === 0 && m.offset === 41);
 * ```
 */
export class Message<V = Uint8Array | null, K = Uint8Array | null> {
  /** The value. */
  value: V;
  /** The key (pykafka's `partition_key`). */
  partitionKey: K;
  /** Offset in the partition (-1 until a producer learns it). */
  offset: number;
  /** Partition id. */
  partitionId: number;
  /** Topic name. */
  topic: string;
  /** Timestamp in ms since the epoch, -1 when the format has none. */
  timestamp: number;
  /** Whether the timestamp is the producer's (CreateTime) or the broker's. */
  timestampType: TimestampType;
  /** Headers as `[key, value]` pairs. */
  headers: [string, Uint8Array | null][];
  /** The codec of the record's batch. */
  compressionType: CompressionType;
  /** The record format (0, 1 or 2). */
  protocolVersion: 0 | 1 | 2;

  /**
   * Creates a message.
   *
   * @param init its fields; `headers` defaults to `[]`, `timestampType` to
   *   CreateTime (0)
   */
  constructor(init: MessageInit<V, K>) {
    this.value = init.value;
    this.partitionKey = init.partitionKey;
    this.offset = init.offset;
    this.partitionId = init.partitionId;
    this.topic = init.topic;
    this.timestamp = init.timestamp;
    this.timestampType = init.timestampType ?? TimestampType.CREATE_TIME;
    this.headers = init.headers ?? [];
    this.compressionType = init.compressionType;
    this.protocolVersion = init.protocolVersion;
  }
}
