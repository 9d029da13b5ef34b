import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

/**
 * One Kafka API (request and response) at every version this library knows:
 * what the generated code in `generated/` exports per API, e.g. `Metadata`.
 *
 * Bodies only: the request header and the response header are encoded by
 * the functions in `header.ts`, the int32 size prefix by the connection.
 * Encoding a version outside `[minVersion, maxVersion]` throws
 * `UnsupportedVersionError`; decoding malformed bytes throws `ProtocolError`.
 *
 * @example
 * ```ts
 * import type { ApiMessage } from "./api.ts";
 * import { Reader } from "./reader.ts";
 * import { Writer } from "./writer.ts";
 *
 * function roundTrip<Req, Res>(api: ApiMessage<Req, Res>, version: number, req: Req): Req {
 *   const w = new Writer();
 *   api.encodeRequest(w, version, req);
 *   return api.decodeRequest(new Reader(w.finish()), version);
 * }
 * ```
 */
export interface ApiMessage<Req, Res> {
  /** Kafka's API key, e.g. 3 for Metadata. */
  readonly apiKey: number;
  /** The spec name without "Request"/"Response", e.g. `"Metadata"`. */
  readonly name: string;
  /** Lowest version the specs know (Kafka 4.1's, extended down with 3.9's). */
  readonly minVersion: number;
  /** Highest stable version in the specs (unstable top versions are left out). */
  readonly maxVersion: number;
  /** First flexible version (compact encodings, tagged fields, header v2 / v1); -1 when never flexible. */
  readonly firstFlexibleVersion: number;
  /** Encodes a request body (no header) at `version`. */
  encodeRequest(w: Writer, version: number, request: Req): void;
  /** Decodes a request body (after the request header) at `version`. */
  decodeRequest(r: Reader, version: number): Req;
  /** Encodes a response body (no header) at `version`. */
  encodeResponse(w: Writer, version: number, response: Res): void;
  /** Decodes a response body (after the response header) at `version`. */
  decodeResponse(r: Reader, version: number): Res;
}

/**
 * A versioned data schema that is not an API, e.g. the consumer protocol's
 * `ConsumerProtocolSubscription` and `ConsumerProtocolAssignment` (the
 * metadata and assignment blobs of JoinGroup / SyncGroup). On the wire these
 * are an int16 version followed by the body; see `encodeVersioned` and
 * `decodeVersioned`.
 *
 * @example
 * ```ts
 * import { ConsumerProtocolAssignmentSchema } from "./mod.ts";
 * import { Reader } from "./reader.ts";
 * import { Writer } from "./writer.ts";
 * const w = new Writer();
 * ConsumerProtocolAssignmentSchema.encode(w, 0, { assignedPartitions: [], userData: null });
 * const back = ConsumerProtocolAssignmentSchema.decode(new Reader(w.finish()), 0);
 * console.assert(back.assignedPartitions.length === 0);
 * ```
 */
export interface DataSchema<T> {
  /** The spec name, e.g. `"ConsumerProtocolAssignment"`. */
  readonly name: string;
  /** Lowest version the specs know. */
  readonly minVersion: number;
  /** Highest version the specs know. */
  readonly maxVersion: number;
  /** Encodes the body (no version prefix) at `version`. */
  encode(w: Writer, version: number, value: T): void;
  /** Decodes the body (after the version prefix) at `version`. */
  decode(r: Reader, version: number): T;
}
