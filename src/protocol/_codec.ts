// Helpers shared by the generated codecs in ./generated/. Not public API.
import { ProtocolError, UnsupportedVersionError } from "../errors/mod.ts";
import type { Reader } from "./reader.ts";

export { ZERO_UUID } from "./writer.ts";

/** The default of non-nullable `bytes` fields (length 0, so never written to). */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** Throws UnsupportedVersionError unless `v` is an integer in [min, max]. */
export function checkVersion(
  name: string,
  min: number,
  max: number,
  v: number,
): void {
  if (!(v >= min && v <= max && v === (v | 0))) {
    throw new UnsupportedVersionError(
      `${name} version ${v} is not supported (this client knows ${min}-${max})`,
    );
  }
}

/** The error for a non-default value of a field the version lacks (Java's generator does the same). */
export function nonDefault(
  struct: string,
  field: string,
  v: number,
): UnsupportedVersionError {
  return new UnsupportedVersionError(
    `Attempted to write a non-default ${field} of ${struct} at version ${v}, which does not have the field`,
  );
}

/**
 * Deep-freezes a default value: decoders share one instance of each struct
 * default (a field the version lacks), which must not be changed.
 */
export function frozen<T>(x: T): T {
  if (x !== null && typeof x === "object" && !(x instanceof Uint8Array)) {
    for (const v of Object.values(x)) frozen(v);
    Object.freeze(x);
  }
  return x;
}

/** `x`, or a ProtocolError when it is null where the version does not allow null. */
export function nn<T>(x: T | null, field: string): T {
  if (x === null) {
    throw new ProtocolError(`Field ${field} is null but not nullable here`);
  }
  return x;
}

/** Reads `n` int32s (n < 0: null). */
export function readInt32Array(r: Reader, n: number): number[] | null {
  return n < 0 ? null : r.int32s(n);
}

/** Reads `n` int64s (n < 0: null). */
export function readInt64Array(r: Reader, n: number): number[] | null {
  if (n < 0) return null;
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(r.int64());
  return a;
}

/** Reads `n` int16-length strings (n < 0: null). */
export function readStringArray(r: Reader, n: number): string[] | null {
  if (n < 0) return null;
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push(r.string());
  return a;
}

/** Reads `n` compact strings (n < 0: null). */
export function readCompactStringArray(
  r: Reader,
  n: number,
): string[] | null {
  if (n < 0) return null;
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push(r.compactString());
  return a;
}
