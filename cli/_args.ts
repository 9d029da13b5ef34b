/**
 * The command-line parser of the CLI (no dependencies): command specs with
 * typed flags and positionals, `--flag value`, `--flag=value`, `-f value`,
 * `-fvalue` (kcat's `-K:`), clusters of boolean short flags (`-eq`),
 * `--no-flag` for booleans, `--` to end flags, defaults from environment
 * variables, and the help text of every command.
 *
 * @module
 */

import { UsageError } from "./_errors.ts";

/** What a flag takes. `list` flags may be repeated and collect strings. */
export type FlagType = "string" | "int" | "number" | "boolean" | "list";

/** One flag of a command. */
export interface FlagSpec {
  /** Long name without `--` (kebab-case). */
  name: string;
  /** One-character short name without `-`. */
  short?: string;
  /** Other long names (pykafka's and kcat's spellings). */
  aliases?: readonly string[];
  /** What it takes. */
  type: FlagType;
  /** Placeholder of the value in the help (`N`, `MS`, `FILE`). */
  arg?: string;
  /** One line of help. */
  help: string;
  /** The allowed values of a `string` flag. */
  choices?: readonly string[];
  /** Environment variable read when the flag is not given. */
  env?: string;
  /** The default, for the help text only (the command applies it). */
  defaultText?: string;
}

/** A positional argument. */
export interface PositionalSpec {
  /** Its name in the usage line (`TOPIC`). */
  name: string;
  /** One line of help. */
  help: string;
  /** Must be given (default true). */
  required?: boolean;
  /** Takes every remaining argument (last positional only). */
  variadic?: boolean;
}

/** A command or a group of subcommands. */
export interface CommandSpec {
  /** Its name (`consume`). */
  name: string;
  /** Other names (pykafka's `print_offsets`, ...). */
  aliases?: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** More text for its help, paragraphs separated by blank lines. */
  description?: string;
  /** Its positionals. */
  positionals?: readonly PositionalSpec[];
  /** Its own flags (connection flags are added when `connection` is set). */
  flags?: readonly FlagSpec[];
  /** Whether it talks to the cluster (adds the connection flags). */
  connection?: boolean;
  /** Examples for the help. */
  examples?: readonly string[];
  /** Subcommands (then `run` is not used). */
  subcommands?: readonly CommandSpec[];
  /** Runs the command; resolves with the exit code (default 0). */
  run?: (args: ParsedArgs) => Promise<number | void>;
}

const HELP_FLAG: FlagSpec = {
  name: "help",
  short: "h",
  type: "boolean",
  help: "show this help",
};

/** The flags and positionals of one command line, checked against a spec. */
export class ParsedArgs {
  readonly #values: Map<string, unknown>;
  readonly #given: Set<string>;
  /** The positionals, in order. */
  readonly positionals: readonly string[];
  /** The command path (`["topics", "list"]`), for messages. */
  readonly command: readonly string[];

  /**
   * Wraps parsed values (see {@linkcode parseArgs}).
   *
   * @param values flag values by long name
   * @param given the flags given on the command line or by environment
   * @param positionals the positionals
   * @param command the command path
   */
  constructor(
    values: Map<string, unknown>,
    given: Set<string>,
    positionals: string[],
    command: string[],
  ) {
    this.#values = values;
    this.#given = given;
    this.positionals = positionals;
    this.command = command;
  }

  /** True when the flag was given (on the command line or by its env var). */
  has(name: string): boolean {
    return this.#given.has(name);
  }

  /** A string flag's value, or `fallback`. */
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const v = this.#values.get(name);
    return v === undefined ? fallback : String(v);
  }

  /** A numeric flag's value, or `fallback`. */
  number(name: string): number | undefined;
  number(name: string, fallback: number): number;
  number(name: string, fallback?: number): number | undefined {
    const v = this.#values.get(name);
    return v === undefined ? fallback : v as number;
  }

  /** A boolean flag's value (false when not given). */
  bool(name: string): boolean {
    return this.#values.get(name) === true;
  }

  /** A list flag's values (empty when not given). */
  list(name: string): string[] {
    return (this.#values.get(name) as string[] | undefined) ?? [];
  }

  /** Positional `i`, or a usage error naming `what` when it is missing. */
  positional(i: number, what: string): string {
    const v = this.positionals[i];
    if (v === undefined) {
      throw new UsageError(`missing ${what}`, this.command);
    }
    return v;
  }
}

function parseValue(
  flag: FlagSpec,
  raw: string,
  command: string[],
  shown: string,
): unknown {
  switch (flag.type) {
    case "int":
    case "number": {
      const s = raw.trim().replaceAll("_", "");
      const n = s === "" ? NaN : Number(s);
      if (
        !Number.isFinite(n) ||
        (flag.type === "int" && !Number.isSafeInteger(n))
      ) {
        throw new UsageError(
          `${shown} takes ${
            flag.type === "int" ? "an integer" : "a number"
          }, got ${JSON.stringify(raw)}`,
          command,
        );
      }
      return n;
    }
    case "boolean": {
      const s = raw.toLowerCase();
      if (["true", "1", "yes", "on"].includes(s)) return true;
      if (["false", "0", "no", "off"].includes(s)) return false;
      throw new UsageError(
        `${shown} is a switch (true or false), got ${JSON.stringify(raw)}`,
        command,
      );
    }
    default:
      if (flag.choices && !flag.choices.includes(raw)) {
        throw new UsageError(
          `${shown} must be one of ${flag.choices.join(", ")}; got ${
            JSON.stringify(raw)
          }`,
          command,
        );
      }
      return raw;
  }
}

function closest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = distance(name, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * Parses `argv` against `flags` and `positionals`. Throws
 * {@linkcode UsageError} for an unknown flag (naming the closest known
 * one), a missing or malformed value, or a wrong number of positionals.
 * `--help` is always known.
 *
 * @param argv the arguments after the command path
 * @param spec the command
 * @param command the command path, for messages
 * @param env reads environment variables (for flags with `env`)
 */
export function parseArgs(
  argv: readonly string[],
  spec: Pick<CommandSpec, "flags" | "positionals">,
  command: string[],
  env: (name: string) => string | undefined = () => undefined,
): ParsedArgs {
  const flags = [...(spec.flags ?? []), HELP_FLAG];
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const f of flags) {
    byLong.set(f.name, f);
    for (const a of f.aliases ?? []) byLong.set(a, f);
    if (f.short) byShort.set(f.short, f);
  }
  const values = new Map<string, unknown>();
  const given = new Set<string>();
  const positionals: string[] = [];
  const set = (f: FlagSpec, v: unknown) => {
    given.add(f.name);
    if (f.type === "list") {
      const l = (values.get(f.name) as unknown[] | undefined) ?? [];
      l.push(v);
      values.set(f.name, l);
    } else values.set(f.name, v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      let name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      let f = byLong.get(name);
      let negated = false;
      if (!f && name.startsWith("no-")) {
        const base = byLong.get(name.slice(3));
        if (base?.type === "boolean") {
          f = base;
          negated = true;
          name = name.slice(3);
        }
      }
      if (!f) {
        const hint = closest(name, [...byLong.keys()]);
        throw new UsageError(
          `unknown flag --${name}${hint ? ` (did you mean --${hint}?)` : ""}`,
          command,
        );
      }
      const shown = `--${name}`;
      if (f.type === "boolean") {
        if (eq >= 0) {
          const v = parseValue(f, a.slice(eq + 1), command, shown) as boolean;
          set(f, negated ? !v : v);
        } else set(f, !negated);
        continue;
      }
      if (negated) {
        throw new UsageError(`${shown} is not a switch`, command);
      }
      let raw: string;
      if (eq >= 0) raw = a.slice(eq + 1);
      else if (i + 1 < argv.length) raw = argv[++i];
      else throw new UsageError(`${shown} needs a value`, command);
      set(f, parseValue(f, raw, command, shown));
      continue;
    }
    if (a.length > 1 && a.startsWith("-") && !/^-\d/.test(a)) {
      // -x, -xVALUE, -x VALUE, or a cluster of switches -abc.
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const f = byShort.get(c);
        if (!f) {
          throw new UsageError(`unknown flag -${c}`, command);
        }
        if (f.type === "boolean") {
          set(f, true);
          continue;
        }
        let raw: string;
        if (j + 1 < a.length) raw = a.slice(j + 1);
        else if (i + 1 < argv.length) raw = argv[++i];
        else throw new UsageError(`-${c} needs a value`, command);
        set(f, parseValue(f, raw, command, `-${c}`));
        break;
      }
      continue;
    }
    positionals.push(a);
  }
  if (values.get("help") === true) {
    return new ParsedArgs(values, given, positionals, command);
  }
  for (const f of flags) {
    if (given.has(f.name) || !f.env) continue;
    const v = env(f.env);
    if (v === undefined || v === "") continue;
    set(f, parseValue(f, v, command, `${f.env} (environment)`));
  }
  const pos = spec.positionals ?? [];
  const required = pos.filter((p) => p.required !== false).length;
  const variadic = pos.some((p) => p.variadic);
  if (positionals.length < required) {
    const missing = pos.filter((p) => p.required !== false)[
      positionals.length
    ];
    throw new UsageError(
      `missing ${missing.name} (${missing.help})`,
      command,
    );
  }
  if (!variadic && positionals.length > pos.length) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(positionals[pos.length])}`,
      command,
    );
  }
  return new ParsedArgs(values, given, positionals, command);
}

function flagLabel(f: FlagSpec): string {
  const long = `--${f.name}`;
  const value = f.type === "boolean" ? "" : ` ${f.arg ?? "VALUE"}`;
  return f.short ? `-${f.short}, ${long}${value}` : `    ${long}${value}`;
}

function flagHelp(f: FlagSpec): string {
  const extra: string[] = [];
  if (f.choices) extra.push(f.choices.join("|"));
  if (f.defaultText) extra.push(`default ${f.defaultText}`);
  if (f.env) extra.push(`env ${f.env}`);
  if (f.type === "list") extra.push("repeatable");
  if (f.aliases?.length) {
    extra.push(`also ${f.aliases.map((a) => `--${a}`).join(", ")}`);
  }
  return extra.length ? `${f.help} (${extra.join("; ")})` : f.help;
}

function section(title: string, rows: [string, string][]): string {
  if (rows.length === 0) return "";
  const width = Math.min(
    34,
    Math.max(...rows.map(([l]) => l.length)),
  );
  const lines = rows.map(([l, h]) =>
    l.length > width
      ? `  ${l}\n  ${" ".repeat(width)}  ${h}`
      : `  ${l.padEnd(width)}  ${h}`
  );
  return `\n${title}:\n${lines.join("\n")}\n`;
}

/**
 * The help text of a command.
 *
 * @param spec the command
 * @param path its command path including the program name
 * @param connectionFlags the connection flags (shown for commands that connect)
 */
export function renderHelp(
  spec: CommandSpec,
  path: string[],
  connectionFlags: readonly FlagSpec[],
): string {
  const name = path.join(" ");
  let out = "";
  if (spec.subcommands) {
    out += `${name}: ${spec.summary}\n\nUsage: ${name} <command> [flags]\n`;
    if (spec.description) out += `\n${spec.description.trim()}\n`;
    out += section(
      "Commands",
      spec.subcommands.map((c) => [
        c.name + (c.aliases?.length ? ` (${c.aliases.join(", ")})` : ""),
        c.summary,
      ]),
    );
    out += `\nRun '${name} <command> --help' for the flags of a command.\n`;
    return out;
  }
  const pos = (spec.positionals ?? []).map((p) => {
    const n = p.variadic ? `${p.name}...` : p.name;
    return p.required === false ? `[${n}]` : n;
  });
  out += `${name}: ${spec.summary}\n\nUsage: ${name} [flags]${
    pos.length ? " " + pos.join(" ") : ""
  }\n`;
  if (spec.aliases?.length) {
    out += `Also: ${
      spec.aliases.map((a) => [...path.slice(0, -1), a].join(" ")).join(", ")
    }\n`;
  }
  if (spec.description) out += `\n${spec.description.trim()}\n`;
  out += section(
    "Arguments",
    (spec.positionals ?? []).map((p) => [p.name, p.help]),
  );
  out += section(
    "Flags",
    [...(spec.flags ?? []), HELP_FLAG].map((f) => [flagLabel(f), flagHelp(f)]),
  );
  if (spec.connection) {
    out += section(
      "Connection",
      connectionFlags.map((f) => [flagLabel(f), flagHelp(f)]),
    );
  }
  if (spec.examples?.length) {
    out += `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}\n`;
  }
  return out;
}
