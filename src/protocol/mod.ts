/**
 * The Kafka wire protocol: primitive encoders/decoders ({@link Writer},
 * {@link Reader}), request/response headers, and the generated codecs of
 * every API the client uses (`Metadata`, `Produce`, `Fetch`, ...), each an
 * {@link ApiMessage}, plus {@link API_BY_KEY}.
 *
 * Conventions of the generated types: camelCase field names; fields a
 * version lacks are optional and decode to the spec's default; int64 is a
 * `number` (a decoded int64 that is not a safe integer throws
 * `ProtocolError`); uuid is Kafka's text form (22 chars of URL-safe base64,
 * {@link ZERO_UUID} = none); `bytes` and `records` are `Uint8Array` views
 * into the decoded buffer; unknown tagged fields are skipped.
 *
 * @example
 * ```ts
 * import {
 *   ApiVersions,
 *   decodeResponseHeader,
 *   encodeRequestHeader,
 *   Reader,
 *   requestHeaderVersion,
 *   responseHeaderVersion,
 *   Writer,
 * } from "./mod.ts";
 *
 * const version = 3;
 * const w = new Writer();
 * w.int32(0); // size, patched below
 * encodeRequestHeader(w, {
 *   apiKey: ApiVersions.apiKey,
 *   apiVersion: version,
 *   correlationId: 1,
 *   clientId: "denokafka",
 * }, requestHeaderVersion(ApiVersions, version));
 * ApiVersions.encodeRequest(w, version, {
 *   clientSoftwareName: "denokafka",
 *   clientSoftwareVersion: "0.1.0",
 * });
 * w.setInt32(0, w.length - 4);
 * const frame = w.finish(); // send it; then, for the response body `body`:
 * // const r = new Reader(body);
 * // decodeResponseHeader(r, responseHeaderVersion(ApiVersions, version));
 * // const res = ApiVersions.decodeResponse(r, version);
 * ```
 *
 * @module
 */
export { Writer, ZERO_UUID } from "./writer.ts";
export { Reader } from "./reader.ts";
export type { ApiMessage, DataSchema } from "./api.ts";
export {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  type RequestHeader,
  requestHeaderVersion,
  type ResponseHeader,
  responseHeaderVersion,
} from "./header.ts";
export { decodeVersioned, encodeVersioned } from "./versioned.ts";
export * from "./generated/mod.ts";
