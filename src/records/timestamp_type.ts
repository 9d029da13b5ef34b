/**
 * Where a record's timestamp comes from.
 *
 * - `NO_TIMESTAMP_TYPE` (-1): MessageSet v0 has no timestamps (the timestamp is -1).
 * - `CREATE_TIME` (0): set by the producer.
 * - `LOG_APPEND_TIME` (1): set by the broker when it appended the batch
 *   (topic config `message.timestamp.type=LogAppendTime`).
 *
 * @example
 * ```ts
 * import { decodeRecords, encodeRecords, TimestampType } from "./mod.ts";
 * const bytes = encodeRecords({ records: [{ key: null, value: null, timestamp: 5 }] });
 * const [record] = decodeRecords(bytes).records;
 * console.assert(record.timestampType === TimestampType.CREATE_TIME && record.timestamp === 5);
 * ```
 */
export const TimestampType = {
  /** No timestamp (MessageSet v0). */
  NO_TIMESTAMP_TYPE: -1,
  /** The producer's timestamp. */
  CREATE_TIME: 0,
  /** The broker's append time. */
  LOG_APPEND_TIME: 1,
} as const;

/**
 * One of the {@link TimestampType} values.
 *
 * @example
 * ```ts
 * import { TimestampType } from "./mod.ts";
 * const t: TimestampType = TimestampType.LOG_APPEND_TIME;
 * console.assert(t === 1);
 * ```
 */
export type TimestampType = typeof TimestampType[keyof typeof TimestampType];
