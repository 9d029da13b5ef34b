// Kafka's framing: every request and response is a frame, a 4-byte
// big-endian length followed by that many bytes. Requests carry a request
// header (API key, version, correlation id, client id) before the body;
// responses a response header (the correlation id, then tagged fields for
// flexible versions). Legacy SASL (handshake v0) exchanges raw tokens in
// frames without headers. The read side (frames out of a byte stream) is
// the request queue's read loop (`_request_queue.ts`).

import { FrameTooLargeError } from "../errors/mod.ts";
import {
  type ApiMessage,
  decodeResponseHeader,
  encodeRequestHeader,
  Reader,
  requestHeaderVersion,
  responseHeaderVersion,
  Writer,
} from "../protocol/mod.ts";

/** Decodes a response body; `frame` is the whole frame after the length. */
export type BodyDecoder = (r: Reader, frame: Uint8Array) => unknown;

/** Decodes a whole response frame (after the length prefix). */
export type FrameDecoder = (frame: Uint8Array) => unknown;

/**
 * Encodes one request frame: length prefix, request header, body. The
 * buffer starts at `sizeHint` + 256 bytes (capped at `maxFrameBytes`) when
 * the caller knows the size, else 256, and grows as needed.
 */
export function encodeRequestFrame<Req, Res>(
  api: ApiMessage<Req, Res>,
  version: number,
  request: Req,
  correlationId: number,
  clientId: string,
  sizeHint: number | undefined,
  maxFrameBytes: number,
): Uint8Array {
  const w = new Writer(
    sizeHint !== undefined && sizeHint > 0
      ? Math.min(sizeHint + 256, maxFrameBytes)
      : 256,
  );
  w.int32(0); // length, patched below
  encodeRequestHeader(w, {
    apiKey: api.apiKey,
    apiVersion: version,
    correlationId,
    clientId,
  }, requestHeaderVersion(api, version));
  api.encodeRequest(w, version, request);
  w.setInt32(0, w.length - 4);
  return w.finish();
}

/**
 * The decoder of a response frame of `api` at `version`: skips the response
 * header, then hands the reader to `decodeBody`.
 */
export function responseDecoder<Req, Res>(
  api: ApiMessage<Req, Res>,
  version: number,
  decodeBody: BodyDecoder,
): FrameDecoder {
  const rhv = responseHeaderVersion(api, version);
  return (f: Uint8Array) => {
    const r = new Reader(f);
    decodeResponseHeader(r, rhv);
    return decodeBody(r, f);
  };
}

/**
 * The buffers of big response frames: each holds one frame alone (the read
 * loop reads a frame above half its chunk size into a buffer of its own),
 * so a consumer may transfer it to a worker without disturbing anything
 * else. Frames read into the loop's shared chunks are not in it.
 */
const ownedFrames = new WeakSet<ArrayBuffer>();

/** Marks `buf` as holding one response frame alone. */
export function markOwnedFrame(buf: ArrayBuffer): void {
  ownedFrames.add(buf);
}

/** True when `buf` holds one response frame alone (it may be transferred). */
export function isOwnedFrame(buf: ArrayBufferLike): boolean {
  return ownedFrames.has(buf as ArrayBuffer);
}

/**
 * Buffers a connection reads frames into again and again
 * (`reuseFrameBuffers`): a frame in one is valid only while it is decoded,
 * unless `keepFrame` takes it.
 */
const reusedBuffers = new WeakSet<ArrayBuffer>();

/** Reused buffers whose current frame a decoder kept (`keepFrame`). */
const keptBuffers = new WeakSet<ArrayBuffer>();

/** Marks `buf` as read into again after each frame (see `keepFrame`). */
export function markReusedBuffer(buf: ArrayBuffer): void {
  reusedBuffers.add(buf);
}

/**
 * True once `keepFrame` kept the frame in `buf` (the connection then reads
 * the next big frame into a new buffer); clears the mark.
 */
export function takeKeptMark(buf: ArrayBuffer): boolean {
  return keptBuffers.delete(buf);
}

/**
 * Keeps a frame beyond its decoder. Called while the frame is decoded;
 * returns bytes that stay valid: the frame itself when its buffer is never
 * read into again (a connection without `reuseFrameBuffers`) or holds this
 * frame alone (a big frame: the connection gives that buffer up and reads
 * the next big frame into a new one), else a copy (a small frame in a
 * reused read chunk).
 */
export function keepFrame(frame: Uint8Array): Uint8Array {
  const buf = frame.buffer as ArrayBuffer;
  if (!reusedBuffers.has(buf)) return frame;
  if (ownedFrames.has(buf)) {
    keptBuffers.add(buf);
    return frame;
  }
  return frame.slice();
}

/** A raw frame (legacy SASL): the length, then the token as it is. */
export function encodeRawFrame(token: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + token.length);
  new DataView(frame.buffer).setInt32(0, token.length);
  frame.set(token, 4);
  return frame;
}

/** The big-endian int32 at `at` (a length prefix or a correlation id). */
export function int32At(buf: Uint8Array, at: number): number {
  return (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) |
    buf[at + 3];
}

/**
 * The error for a length prefix outside `0..maxFrameBytes`. `head` is the
 * bytes from the prefix on: a TLS record read as a length (alert 0x15 /
 * handshake 0x16, version 3.x) means the listener speaks TLS and
 * `sslConfig` is not set, which the message says.
 */
export function frameTooLarge(
  where: string,
  size: number,
  maxFrameBytes: number,
  head: Uint8Array,
): FrameTooLargeError {
  const tls = (head[0] === 0x15 || head[0] === 0x16) && head[1] === 0x03;
  return new FrameTooLargeError(size, maxFrameBytes, {
    message: `${where} sent a frame of ${size} bytes${
      size < 0 ? " (negative length)" : `, above maxFrameBytes ${maxFrameBytes}`
    }; the connection was closed${
      tls
        ? ". The bytes look like TLS: is this an SSL listener? Set sslConfig."
        : ""
    }`,
  });
}
