import { ProtocolError } from "../errors/mod.ts";
import type { DataSchema } from "./api.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

/**
 * Encodes `value` as an int16 version followed by the body: the layout of
 * the consumer protocol's subscription and assignment blobs (JoinGroup
 * `metadata`, SyncGroup `assignment`).
 *
 * @example
 * ```ts
 * import { ConsumerProtocolSubscriptionSchema, encodeVersioned } from "./mod.ts";
 * const bytes = encodeVersioned(ConsumerProtocolSubscriptionSchema, 0, {
 *   topics: ["events"],
 *   userData: null,
 * });
 * console.assert(bytes[0] === 0 && bytes[1] === 0);
 * ```
 */
export function encodeVersioned<T>(
  schema: DataSchema<T>,
  version: number,
  value: T,
): Uint8Array {
  const w = new Writer(64);
  w.int16(version);
  schema.encode(w, version, value);
  return w.finish();
}

/**
 * Decodes an int16-version-prefixed blob. A version newer than the schema
 * knows is decoded with the newest known layout (newer versions only append
 * fields), as Kafka's Java client does; a version below the oldest known
 * throws {@link ProtocolError}. Bytes after the body are ignored; a blob that
 * ends early (pykafka writes assignments without `userData`) throws
 * `ProtocolError`.
 *
 * @example
 * ```ts
 * import {
 *   ConsumerProtocolAssignmentSchema,
 *   decodeVersioned,
 *   encodeVersioned,
 * } from "./mod.ts";
 * const bytes = encodeVersioned(ConsumerProtocolAssignmentSchema, 1, {
 *   assignedPartitions: [{ topic: "events", partitions: [0, 1] }],
 *   userData: null,
 * });
 * const { version, value } = decodeVersioned(ConsumerProtocolAssignmentSchema, bytes);
 * console.assert(version === 1 && value.assignedPartitions[0].partitions[1] === 1);
 * ```
 */
export function decodeVersioned<T>(
  schema: DataSchema<T>,
  bytes: Uint8Array,
): { version: number; value: T } {
  const r = new Reader(bytes);
  const version = r.int16();
  if (version < schema.minVersion) {
    throw new ProtocolError(
      `${schema.name} version ${version} is below the lowest known (${schema.minVersion})`,
    );
  }
  const value = schema.decode(r, Math.min(version, schema.maxVersion));
  return { version, value };
}
