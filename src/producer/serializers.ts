/**
 * {@linkcode serializeUtf8}: pykafka's `serialize_utf8` serializer.
 *
 * @module
 */

const enc = new TextEncoder();

/**
 * A serializer for string values and keys (pykafka's
 * `pykafka.utils.serialize_utf8`): both are encoded as UTF-8, `null` stays
 * `null`.
 *
 * @param value the value, or `null`
 * @param partitionKey the key, or `null`
 * @returns `[valueBytes, keyBytes]`
 *
 * @example
 * ```ts
 * import { serializeUtf8 } from "./serializers.ts";
 * const [v, k] = serializeUtf8("héllo", null);
 * console.assert(v!.length === 6 && k === null);
 * // topic.getProducer({ serializer: serializeUtf8 }).produce("text", { partitionKey: "key" })
 * ```
 */
export function serializeUtf8(
  value: string | null,
  partitionKey: string | null,
): [Uint8Array | null, Uint8Array | null] {
  return [
    value === null || value === undefined ? null : enc.encode(value),
    partitionKey === null || partitionKey === undefined
      ? null
      : enc.encode(partitionKey),
  ];
}
