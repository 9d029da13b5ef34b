/**
 * The one option validator of the library, used by every public
 * constructor and factory. A bad option throws the same way everywhere:
 *
 * - `TypeError` for an unknown option name (with the closest known name),
 *   a value of the wrong type, or options that are not an object;
 * - `RangeError` for a value of the right type outside its range, or
 *   options that contradict each other;
 *
 * and the message names the class, the option and the value given, e.g.
 * `SimpleConsumer option fetchMinBytes must be an integer from 0 to
 * 2147483647, got -1`.
 *
 * @module
 */

import { errorMessage } from "./error_text.ts";

/** A value's description in an error message. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") {
    if (v.length <= 80) return `the string ${JSON.stringify(v)}`;
    return `a string of ${v.length} characters starting ${
      JSON.stringify(v.slice(0, 40))
    }`;
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return String(v);
  if (Array.isArray(v)) {
    return `an Array of ${v.length} item${v.length === 1 ? "" : "s"}`;
  }
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/** `TypeError` for option `name` of `owner`, which must be `expected`. */
export function optionTypeError(
  owner: string,
  name: string,
  expected: string,
  value: unknown,
): TypeError {
  return new TypeError(
    `${owner} option ${name} must be ${expected}, got ${describeValue(value)}`,
  );
}

/** `RangeError` for option `name` of `owner`, which must be `expected`. */
export function optionRangeError(
  owner: string,
  name: string,
  expected: string,
  value: unknown,
): RangeError {
  return new RangeError(
    `${owner} option ${name} must be ${expected}, got ${describeValue(value)}`,
  );
}

/**
 * A rule for one option: checks a given value (never `undefined`) and
 * returns it (possibly converted), or throws with {@linkcode optionTypeError}
 * / {@linkcode optionRangeError}. `name` is the option's path in messages
 * (`sasl.mechanism`, `partitions[2]`).
 */
export type OptionRule<T> = (value: unknown, owner: string, name: string) => T;

/**
 * A rule whose option must be given (see {@linkcode rules.required}):
 * `required` describes the value for the message when it is missing.
 */
export type RequiredRule<T> = OptionRule<T> & { readonly required: string };

/** The rules of an options object, one per known option name. */
export type OptionRules = Record<string, OptionRule<unknown>>;

/**
 * What {@linkcode validateOptions} returns: each option checked (converted
 * by its rule), `undefined` when not given (never for required ones).
 */
export type CheckedOptions<R extends OptionRules> = {
  [K in keyof R]: R[K] extends RequiredRule<infer T> ? T
    : ReturnType<R[K]> | undefined;
};

/** `INT32_MAX`: the largest timer delay and most Kafka int32 fields. */
export const INT32_MAX = 2_147_483_647;

function intText(min: number, max: number, unit?: string): string {
  const u = unit ? ` (${unit})` : "";
  if (max === Number.MAX_SAFE_INTEGER) {
    if (min === 0) return `0 or a positive integer${u}`;
    if (min === 1) return `a positive integer${u}`;
    return `an integer of at least ${min}${u}`;
  }
  return `an integer from ${min} to ${max}${u}`;
}

function typeOnly(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return `a string of ${v.length} characters`;
  if (Array.isArray(v)) return "an Array";
  return `a value of type ${typeof v}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Rules for the common option shapes. */
export const rules = {
  /**
   * A safe integer in `min..max`; `unit` goes into the message ("ms"), or
   * `text` replaces the whole description.
   */
  int(
    min: number,
    max: number = Number.MAX_SAFE_INTEGER,
    unit?: string,
    text: string = intText(min, max, unit),
  ): OptionRule<number> {
    return (v, owner, name) => {
      if (typeof v !== "number" || Number.isNaN(v)) {
        throw optionTypeError(owner, name, text, v);
      }
      if (!Number.isInteger(v)) throw optionTypeError(owner, name, text, v);
      if (v < min || v > max) throw optionRangeError(owner, name, text, v);
      return v;
    };
  },
  /** An integer in `min..2147483647`, in ms (the range of a timer). */
  ms(min = 0): OptionRule<number> {
    return rules.int(min, INT32_MAX, "ms");
  },
  /** A finite number in `min..max`. */
  number(
    min = -Number.MAX_VALUE,
    max = Number.MAX_VALUE,
  ): OptionRule<number> {
    const text = `a number from ${min} to ${max}`;
    return (v, owner, name) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw optionTypeError(owner, name, text, v);
      }
      if (v < min || v > max) throw optionRangeError(owner, name, text, v);
      return v;
    };
  },
  /** `true` or `false`. */
  bool(): OptionRule<boolean> {
    return (v, owner, name) => {
      if (typeof v !== "boolean") {
        throw optionTypeError(owner, name, "a boolean", v);
      }
      return v;
    };
  },
  /** A string; with `nonEmpty`, not `""` nor only white space. */
  string(nonEmpty = false): OptionRule<string> {
    const text = nonEmpty ? "a non-empty string" : "a string";
    return (v, owner, name) => {
      if (typeof v !== "string") throw optionTypeError(owner, name, text, v);
      if (nonEmpty && v.trim().length === 0) {
        throw optionRangeError(owner, name, text, v);
      }
      return v;
    };
  },
  /**
   * A string that messages never show (a password, a private key): a bad
   * value is described by its type only.
   */
  secret(): OptionRule<string> {
    return (v, owner, name) => {
      if (typeof v !== "string") {
        throw new TypeError(
          `${owner} option ${name} must be a string, got ${typeOnly(v)}`,
        );
      }
      return v;
    };
  },
  /**
   * One of `values` (compared with `===`); `text` describes them. A value
   * of another type than every allowed value is a `TypeError`, else a
   * `RangeError`.
   */
  oneOf<T>(values: readonly T[], text: string): OptionRule<T> {
    const types = new Set(values.map((x) => typeof x));
    return (v, owner, name) => {
      if (values.includes(v as T)) return v as T;
      if (!types.has(typeof v)) throw optionTypeError(owner, name, text, v);
      throw optionRangeError(owner, name, text, v);
    };
  },
  /** A function; `text` describes its signature. */
  func<T>(text = "a function"): OptionRule<T> {
    return (v, owner, name) => {
      if (typeof v !== "function") throw optionTypeError(owner, name, text, v);
      return v as T;
    };
  },
  /** An `AbortSignal`. */
  signal(): OptionRule<AbortSignal> {
    return (v, owner, name) => {
      if (!(v instanceof AbortSignal)) {
        throw optionTypeError(owner, name, "an AbortSignal", v);
      }
      return v;
    };
  },
  /** Anything `ok` accepts (a `TypeError` otherwise); `text` describes it. */
  check<T>(text: string, ok: (v: unknown) => boolean): OptionRule<T> {
    return (v, owner, name) => {
      if (!ok(v)) throw optionTypeError(owner, name, text, v);
      return v as T;
    };
  },
  /**
   * What `base` accepts (its errors as they are), then `parse(value)`: its
   * result is the option's value; an error it throws becomes a
   * `RangeError` saying the value must be `text`, with the parser's reason.
   */
  parse<T, R>(
    base: OptionRule<T>,
    text: string,
    parse: (v: T) => R,
  ): OptionRule<R> {
    return (v, owner, name) => {
      const checked = base(v, owner, name);
      try {
        return parse(checked);
      } catch (e) {
        const why = errorMessage(e);
        throw new RangeError(
          `${owner} option ${name} must be ${text}, got ${
            describeValue(v)
          } (${why})`,
          { cause: e },
        );
      }
    };
  },
  /** `null` or what `rule` accepts. */
  nullable<T>(rule: OptionRule<T>): OptionRule<T | null> {
    return (v, owner, name) => v === null ? null : rule(v, owner, name);
  },
  /**
   * `rule`, for an option that must be given: a missing (`undefined`) one
   * is a `TypeError` saying it must be `text`.
   */
  required<T>(rule: OptionRule<T>, text: string): RequiredRule<T> {
    const r = ((v, owner, name) => rule(v, owner, name)) as OptionRule<T>;
    return Object.assign(r, { required: text });
  },
  /**
   * An array of `min..max` items, each checked by `item` under the name
   * `name[i]`; returns the checked items (a new array). `text` describes
   * the array ("an array of partition ids").
   */
  array<T>(
    item: OptionRule<T>,
    text: string,
    min = 0,
    max = Number.MAX_SAFE_INTEGER,
  ): OptionRule<T[]> {
    return (v, owner, name) => {
      if (!Array.isArray(v)) throw optionTypeError(owner, name, text, v);
      if (v.length < min || v.length > max) {
        const n = max === Number.MAX_SAFE_INTEGER
          ? `at least ${min} item${min === 1 ? "" : "s"}`
          : min === max
          ? `${min} item${min === 1 ? "" : "s"}`
          : `${min} to ${max} items`;
        throw optionRangeError(owner, name, `${text} of ${n}`, v);
      }
      return v.map((x, i) => item(x, owner, `${name}[${i}]`));
    };
  },
  /**
   * A nested options object (`sslConfig`, `sasl`, `reconnectBackoff`):
   * checked like {@linkcode validateOptions} does, its options named by
   * path (`sasl.mechanism`). `also` checks combinations of the checked
   * values (throw {@linkcode optionRangeError} for contradictions).
   * Returns the given object itself (not a copy), so objects used as keys
   * (a cached TLS config) keep their identity.
   */
  object<T>(
    objectRules: OptionRules,
    text = "an object",
    also?: (
      checked: Record<string, unknown>,
      owner: string,
      name: string,
    ) => void,
  ): OptionRule<T> {
    return (v, owner, name) => {
      if (!isPlainObject(v)) throw optionTypeError(owner, name, text, v);
      const checked = checkObject(owner, `${name}.`, v, objectRules, []);
      also?.(checked, owner, name);
      return v as T;
    };
  },
};

function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  const a = name.toLowerCase();
  for (const k of known) {
    const b = k.toLowerCase();
    // A prefix ("user" for "username") counts as one edit.
    const prefix = Math.min(a.length, b.length) >= 3 &&
      (a.startsWith(b) || b.startsWith(a));
    const d = Math.min(distance(a, b), prefix ? 1 : Infinity);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(
        prev[j] + 1,
        prev[j - 1] + 1,
        diag + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diag = up;
    }
  }
  return prev[b.length];
}

function checkObject(
  owner: string,
  prefix: string,
  o: Record<string, unknown>,
  optionRules: OptionRules,
  alsoKnown: readonly string[],
): Record<string, unknown> {
  for (const key of Object.keys(o)) {
    if (Object.hasOwn(optionRules, key) || alsoKnown.includes(key)) continue;
    const known = [...Object.keys(optionRules), ...alsoKnown];
    const near = closest(key, known);
    throw new TypeError(
      `${owner}: unknown option ${JSON.stringify(prefix + key)}${
        near ? ` (did you mean ${prefix + near}?)` : ""
      }; known options: ${known.map((k) => prefix + k).join(", ")}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(optionRules)) {
    const v = o[name];
    const rule = optionRules[name] as OptionRule<unknown> & {
      required?: string;
    };
    if (v === undefined) {
      if (rule.required !== undefined) {
        throw optionTypeError(owner, prefix + name, rule.required, v);
      }
      out[name] = undefined;
    } else out[name] = rule(v, owner, prefix + name);
  }
  return out;
}

/**
 * Checks `given` against `optionRules` for the class `owner`: every own
 * enumerable key must be a known option (a `TypeError` names the closest
 * known one otherwise), every required option must be there, and every
 * value that is not `undefined` must pass its rule. Returns the checked
 * values; options not given are `undefined` (fill in defaults with `??`).
 * `alsoKnown` lists names that are accepted but checked elsewhere (options
 * passed through to another class). `undefined` or `null` options are
 * `{}`; anything else that is not an object is a `TypeError`.
 *
 * A table of rules can be spread into another to check "their options and
 * mine" in one call: `validateOptions("Mine", o, { ...THEIR_RULES, ...MINE })`.
 *
 * @example
 * ```ts
 * import { rules, validateOptions } from "./options.ts";
 * const o = validateOptions("Demo", { lingerMs: 5 }, {
 *   lingerMs: rules.ms(),
 *   sync: rules.bool(),
 * });
 * console.assert(o.lingerMs === 5 && (o.sync ?? false) === false);
 * try {
 *   validateOptions("Demo", { lingerMS: 5 }, { lingerMs: rules.ms() });
 * } catch (e) {
 *   console.assert(e instanceof TypeError && /did you mean lingerMs/.test(e.message));
 * }
 * ```
 */
export function validateOptions<R extends OptionRules>(
  owner: string,
  given: unknown,
  optionRules: R,
  alsoKnown: readonly string[] = [],
): CheckedOptions<R> {
  if (given === undefined || given === null) given = {};
  if (!isPlainObject(given)) {
    throw new TypeError(
      `${owner} options must be an object, got ${describeValue(given)}`,
    );
  }
  return checkObject(
    owner,
    "",
    given,
    optionRules,
    alsoKnown,
  ) as CheckedOptions<R>;
}

/**
 * `table` without the rules `names`: for a class that takes another's
 * options minus a few (a reconnecting wrapper without `signal`).
 *
 * @example
 * ```ts
 * import { omitRules, rules } from "./options.ts";
 * const r = omitRules({ a: rules.bool(), b: rules.bool() }, "b");
 * console.assert(Object.keys(r).join() === "a");
 * ```
 */
export function omitRules<R extends OptionRules, N extends keyof R & string>(
  table: R,
  ...names: N[]
): Omit<R, N> {
  const out: OptionRules = { ...table };
  for (const n of names) delete out[n];
  return out as Omit<R, N>;
}
