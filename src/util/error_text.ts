/**
 * One line of text for any thrown value, for error messages that name a
 * cause: `Name: message` for errors, `String(value)` for anything else.
 *
 * @module
 */

/**
 * `Name: message` for an `Error`, `String(value)` for anything else.
 *
 * @example
 * ```ts
 * import { errorText } from "./error_text.ts";
 * console.assert(errorText(new RangeError("too big")) === "RangeError: too big");
 * console.assert(errorText(42) === "42");
 * ```
 */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
