/**
 * One line of text for any thrown value, for error messages that name a
 * cause: `Name: message` for errors, `String(value)` for anything else
 * ({@linkcode errorText}), or the message alone ({@linkcode errorMessage}).
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

/**
 * The message of an `Error` (without its name), `String(value)` for
 * anything else: for messages that already say what kind of failure it was.
 *
 * @example
 * ```ts
 * import { errorMessage } from "./error_text.ts";
 * console.assert(errorMessage(new RangeError("too big")) === "too big");
 * console.assert(errorMessage("gone") === "gone");
 * ```
 */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
