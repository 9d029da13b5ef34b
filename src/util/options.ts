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

/** A value's description in an error message. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return String(v);
  if (Array.isArray(v)) return "an Array";
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
 * / {@linkcode optionRangeError}.
 */
export type OptionRule<T> = (value: unknown, owner: string, name: string) => T;

const INT32_MAX = 2_147_483_647;

function intText(min: number, max: number, unit?: string): string {
  const u = unit ? ` (${unit})` : "";
  if (max === Number.MAX_SAFE_INTEGER) {
    if (min === 0) return `0 or a positive integer${u}`;
    if (min === 1) return `a positive integer${u}`;
    return `an integer of at least ${min}${u}`;
  }
  return `an integer from ${min} to ${max}${u}`;
}

/** Rules for the common option shapes. */
export const rules = {
  /** A safe integer in `min..max`; `unit` goes into the message ("ms"). */
  int(
    min: number,
    max: number = Number.MAX_SAFE_INTEGER,
    unit?: string,
  ): OptionRule<number> {
    const text = intText(min, max, unit);
    return (v, owner, name) => {
      if (typeof v !== "number" || Number.isNaN(v)) {
        throw optionTypeError(owner, name, text, v);
      }
      if (!Number.isInteger(v)) throw optionTypeError(owner, name, text, v);
      if (v < min || v > max) throw optionRangeError(owner, name, text, v);
      return v;
    };
  },
  /** An integer in `0..2147483647`, in ms. */
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
  /** A string; with `nonEmpty`, not `""`. */
  string(nonEmpty = false): OptionRule<string> {
    const text = nonEmpty ? "a non-empty string" : "a string";
    return (v, owner, name) => {
      if (typeof v !== "string") throw optionTypeError(owner, name, text, v);
      if (nonEmpty && v.length === 0) {
        throw optionRangeError(owner, name, text, v);
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
  /** Anything `ok` accepts (a `TypeError` otherwise); `text` describes it. */
  check<T>(text: string, ok: (v: unknown) => boolean): OptionRule<T> {
    return (v, owner, name) => {
      if (!ok(v)) throw optionTypeError(owner, name, text, v);
      return v as T;
    };
  },
  /** `null` or what `rule` accepts. */
  nullable<T>(rule: OptionRule<T>): OptionRule<T | null> {
    return (v, owner, name) => v === null ? null : rule(v, owner, name);
  },
};

/** The rules of an options object, one per known option name. */
export type OptionRules = Record<string, OptionRule<unknown>>;

/** What {@linkcode validateOptions} returns: each option checked, or `undefined`. */
export type CheckedOptions<R extends OptionRules> = {
  [K in keyof R]: ReturnType<R[K]> | undefined;
};

function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  const a = name.toLowerCase();
  for (const k of known) {
    const b = k.toLowerCase();
    const d = distance(a, b);
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

/**
 * Checks `given` against `optionRules` for the class `owner`: every own
 * enumerable key must be a known option (a `TypeError` names the closest
 * known one otherwise), and every value that is not `undefined` must pass
 * its rule. Returns the checked values; options not given are `undefined`
 * (fill in defaults with `??`). `alsoKnown` lists names that are accepted
 * but checked elsewhere (options passed through to another class).
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
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new TypeError(
      `${owner} options must be an object, got ${describeValue(given)}`,
    );
  }
  const o = given as Record<string, unknown>;
  const names = Object.keys(optionRules);
  for (const key of Object.keys(o)) {
    if (Object.hasOwn(optionRules, key) || alsoKnown.includes(key)) continue;
    const near = closest(key, [...names, ...alsoKnown]);
    throw new TypeError(
      `${owner}: unknown option ${JSON.stringify(key)}${
        near ? ` (did you mean ${near}?)` : ""
      }; known options: ${[...names, ...alsoKnown].join(", ")}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const v = o[name];
    out[name] = v === undefined ? undefined : optionRules[name](v, owner, name);
  }
  return out as CheckedOptions<R>;
}
