import { ProtocolError } from "../errors/mod.ts";
import type { ApiMessage } from "./api.ts";
import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

const API_VERSIONS_KEY = 18;

/** The fields of a request header (v1 and v2). */
export interface RequestHeader {
  /** The API key of the request. */
  apiKey: number;
  /** The API version of the request. */
  apiVersion: number;
  /** Matches the response to the request. */
  correlationId: number;
  /** The client id, or `null`. */
  clientId: string | null;
}

/** The fields of a response header (v0 and v1). */
export interface ResponseHeader {
  /** The correlation id of the request this answers. */
  correlationId: number;
}

/**
 * The request header version for `api` at `version`: 2 from the API's first
 * flexible version on, else 1. (Header v0, without a client id, was only
 * ever used by ControlledShutdown v0 and is not supported.)
 *
 * @example
 * ```ts
 * import { requestHeaderVersion } from "./header.ts";
 * import { Metadata } from "./mod.ts";
 * console.assert(requestHeaderVersion(Metadata, 8) === 1);
 * console.assert(requestHeaderVersion(Metadata, 9) === 2);
 * ```
 */
export function requestHeaderVersion(
  api: ApiMessage<unknown, unknown>,
  version: number,
): 1 | 2 {
  return api.firstFlexibleVersion >= 0 && version >= api.firstFlexibleVersion
    ? 2
    : 1;
}

/**
 * The response header version for `api` at `version`: 1 from the API's first
 * flexible version on, else 0; always 0 for ApiVersions (KIP-511: a broker
 * must be able to answer an ApiVersions request it cannot parse).
 *
 * @example
 * ```ts
 * import { responseHeaderVersion } from "./header.ts";
 * import { ApiVersions, Metadata } from "./mod.ts";
 * console.assert(responseHeaderVersion(Metadata, 12) === 1);
 * console.assert(responseHeaderVersion(ApiVersions, 3) === 0);
 * ```
 */
export function responseHeaderVersion(
  api: ApiMessage<unknown, unknown>,
  version: number,
): 0 | 1 {
  if (api.apiKey === API_VERSIONS_KEY) return 0;
  return api.firstFlexibleVersion >= 0 && version >= api.firstFlexibleVersion
    ? 1
    : 0;
}

/**
 * Encodes a request header: `api_key` int16, `api_version` int16,
 * `correlation_id` int32, `client_id` as a nullable string with an int16
 * length (also in v2), and in v2 an empty tagged-field section.
 *
 * @example
 * ```ts
 * import { encodeRequestHeader } from "./header.ts";
 * import { Writer } from "./writer.ts";
 * const w = new Writer();
 * encodeRequestHeader(w, { apiKey: 18, apiVersion: 3, correlationId: 1, clientId: "me" }, 2);
 * console.assert(w.length === 2 + 2 + 4 + 2 + 2 + 1);
 * ```
 */
export function encodeRequestHeader(
  w: Writer,
  h: RequestHeader,
  headerVersion: 1 | 2,
): void {
  w.int16(h.apiKey);
  w.int16(h.apiVersion);
  w.int32(h.correlationId);
  w.nullableString(h.clientId);
  if (headerVersion === 2) w.uvarint(0);
}

/**
 * Decodes a request header (for servers and tests).
 *
 * @example
 * ```ts
 * import { decodeRequestHeader, encodeRequestHeader } from "./header.ts";
 * import { Reader } from "./reader.ts";
 * import { Writer } from "./writer.ts";
 * const w = new Writer();
 * encodeRequestHeader(w, { apiKey: 3, apiVersion: 12, correlationId: 7, clientId: null }, 2);
 * console.assert(decodeRequestHeader(new Reader(w.finish()), 2).correlationId === 7);
 * ```
 */
export function decodeRequestHeader(
  r: Reader,
  headerVersion: 1 | 2,
): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  if (headerVersion === 2) r.skipTaggedFields();
  return { apiKey, apiVersion, correlationId, clientId };
}

/**
 * Encodes a response header (for fake servers and tests): the correlation
 * id, and in v1 an empty tagged-field section.
 *
 * @example
 * ```ts
 * import { encodeResponseHeader } from "./header.ts";
 * import { Writer } from "./writer.ts";
 * const w = new Writer();
 * encodeResponseHeader(w, { correlationId: 7 }, 1);
 * console.assert(w.length === 5);
 * ```
 */
export function encodeResponseHeader(
  w: Writer,
  h: ResponseHeader,
  headerVersion: 0 | 1,
): void {
  w.int32(h.correlationId);
  if (headerVersion === 1) w.uvarint(0);
}

/**
 * Decodes a response header: the correlation id, and in v1 skips the
 * tagged-field section. Throws `ProtocolError` on truncated input.
 *
 * @example
 * ```ts
 * import { decodeResponseHeader } from "./header.ts";
 * import { Reader } from "./reader.ts";
 * const r = new Reader(new Uint8Array([0, 0, 0, 42, 0]));
 * console.assert(decodeResponseHeader(r, 1).correlationId === 42);
 * ```
 */
export function decodeResponseHeader(
  r: Reader,
  headerVersion: 0 | 1,
): ResponseHeader {
  const correlationId = r.int32();
  if (headerVersion === 1) r.skipTaggedFields();
  else if (headerVersion !== 0) {
    throw new ProtocolError(`Unknown response header version ${headerVersion}`);
  }
  return { correlationId };
}
