/**
 * Standard base64 (RFC 4648 §4, with padding) between bytes and text, for
 * SCRAM messages and PEM blocks. Kafka's URL-safe UUID text lives with the
 * protocol codec (`uuidToString`), which needs no allocation per call.
 *
 * @module
 */

/**
 * Bytes as standard base64 text, with padding.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from "./base64.ts";
 * console.assert(encodeBase64(new Uint8Array([110, 44, 44])) === "biws");
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    s += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(s);
}

/**
 * Standard base64 text as bytes; white space is ignored. Throws what
 * `onError` returns (default: a `SyntaxError`) when the text is not base64.
 *
 * @example
 * ```ts
 * import { decodeBase64 } from "./base64.ts";
 * console.assert(decodeBase64("biws").join() === "110,44,44");
 * ```
 */
export function decodeBase64(
  text: string,
  onError: (cause: unknown) => Error = (cause) =>
    new SyntaxError("the text is not valid base64", { cause }),
): Uint8Array {
  let raw: string;
  try {
    raw = atob(text.replace(/\s+/g, ""));
  } catch (cause) {
    throw onError(cause);
  }
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}
