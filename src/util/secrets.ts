/**
 * Keeping secrets out of sight: the options the library shows back to the
 * program (`KafkaClient.options`, `Cluster.connectionSettings`) are copies in
 * which every password, passphrase and private key is replaced by
 * {@linkcode REDACTED}, so printing them (`console.log`, `JSON.stringify`,
 * `Deno.inspect`, Node's `util.inspect`) or reading them shows no secret.
 * The library keeps the real values in private fields.
 *
 * @module
 */

/** What a secret reads as in the options the library shows back. */
export const REDACTED = "[redacted]";

/** The secret fields of the nested configs of the connection options. */
const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  sasl: ["password"],
  sslConfig: ["password", "key"],
};

/**
 * A frozen copy of an options object with the secrets of its `sasl`
 * (`password`) and `sslConfig` (`password`, `key`) replaced by
 * {@linkcode REDACTED}. Other fields are kept as they are (the nested
 * secret-bearing objects are copied, the rest shared).
 *
 * @example
 * ```ts
 * import { REDACTED, redactedOptions } from "./secrets.ts";
 * const shown = redactedOptions({
 *   hosts: "kafka:9093",
 *   sasl: { mechanism: "PLAIN", username: "alice", password: "s3cret" },
 * });
 * console.assert(shown.sasl.password === REDACTED);
 * console.assert(!JSON.stringify(shown).includes("s3cret"));
 * ```
 *
 * @param options the options as given (not modified)
 * @returns the copy to show
 */
export function redactedOptions<T extends object>(options: T): Readonly<T> {
  const out = { ...options } as Record<string, unknown>;
  for (const [name, fields] of Object.entries(SECRET_FIELDS)) {
    const nested = out[name];
    if (nested === null || typeof nested !== "object") continue;
    const copy: Record<string, unknown> = { ...nested };
    for (const f of fields) {
      if (copy[f] !== undefined) copy[f] = REDACTED;
    }
    out[name] = Object.freeze(copy);
  }
  return Object.freeze(out) as Readonly<T>;
}

const DENO_INSPECT = Symbol.for("Deno.customInspect");
const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Makes `target` print with `fields` shown as {@linkcode REDACTED}: adds
 * non-enumerable `toJSON`, `Deno.customInspect` and Node's
 * `util.inspect.custom` methods (so spreading the object copies none of
 * them, and reading the fields still gives the real values to the code that
 * needs them). Returns `target`.
 *
 * @example
 * ```ts
 * import { redactWhenPrinted } from "./secrets.ts";
 * const tls = redactWhenPrinted({ caCerts: [], key: "-----BEGIN PRIVATE KEY-----..." }, ["key"]);
 * console.assert(!JSON.stringify(tls).includes("PRIVATE"));
 * console.assert(tls.key.startsWith("-----BEGIN"));
 * ```
 *
 * @param target the object to protect (modified)
 * @param fields the names of its secret fields
 * @returns `target`
 */
export function redactWhenPrinted<T extends object>(
  target: T,
  fields: readonly string[],
): T {
  const shown = (): Record<string, unknown> => {
    const copy = { ...target } as Record<string, unknown>;
    for (const f of fields) {
      if (copy[f] !== undefined) copy[f] = REDACTED;
    }
    return copy;
  };
  const hidden = (value: unknown) => ({
    value,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  Object.defineProperties(target, {
    toJSON: hidden(shown),
    [DENO_INSPECT]: hidden(
      (inspect: (v: unknown, o?: unknown) => string, options?: unknown) =>
        inspect(shown(), options),
    ),
    [NODE_INSPECT]: hidden(
      (
        _depth: number,
        options: unknown,
        inspect?: (v: unknown, o?: unknown) => string,
      ) =>
        inspect ? inspect(shown(), options) : JSON.stringify(shown(), null, 2),
    ),
  });
  return target;
}
