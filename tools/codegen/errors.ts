/**
 * The broker error generator: reads the error table
 * (`tools/codegen/specs/errors.json`: per Kafka error code the enum name,
 * description, retriable flag, grouping base class and aliases) and emits
 * `src/errors/broker_errors.ts`, one class per code plus the aliases and
 * `KAFKA_ERROR_CODES`. Run through `deno task codegen` (see `main.ts`).
 *
 * @module
 */
import { HEADER } from "./emit.ts";

/** The grouping classes a code may extend (hand-written in `src/errors/error_groups.ts`). */
export const ERROR_GROUPS = [
  "InvalidMetadataError",
  "AuthorizationError",
  "AuthenticationError",
] as const;

/** One row of the error table. */
export interface ErrorRow {
  /** The code on the wire. */
  code: number;
  /** Kafka's enum name, e.g. `NOT_LEADER_OR_FOLLOWER`. */
  name: string;
  /** Whether Kafka's Java client treats the code as retriable. */
  retriable: boolean;
  /** The grouping class the code's class extends, if any. */
  base?: (typeof ERROR_GROUPS)[number];
  /** Where the class name itself comes from too, if anywhere (e.g. `pykafka`). */
  nameFrom?: string;
  /** Kafka's description of the code. */
  description: string;
  /** Other exported names of the class: alias -> where it comes from. */
  aliases: Record<string, string>;
}

const ROW_KEYS = new Set([
  "code",
  "name",
  "retriable",
  "base",
  "nameFrom",
  "description",
  "aliases",
]);

/**
 * The class name of an enum name: PascalCase, a trailing `_EXCEPTION` or
 * `_ERROR` dropped, then `Error` (`INVALID_TOPIC_EXCEPTION` ->
 * `InvalidTopicError`, `UNKNOWN_SERVER_ERROR` -> `UnknownServerError`).
 */
export function className(enumName: string): string {
  const stem = enumName.replace(/_(EXCEPTION|ERROR)$/, "");
  return stem.split("_").map((w) => w[0] + w.slice(1).toLowerCase()).join(
    "",
  ) + "Error";
}

/** The error table: the Kafka release it follows and its rows. */
export interface ErrorTable {
  /** The Kafka release whose `Errors` enum the table follows, e.g. `4.4`. */
  kafka: string;
  /** One row per code, in code order. */
  rows: ErrorRow[];
}

/** Reads and checks the error table; throws naming the row on any problem. */
export function loadErrorTable(path: string): ErrorTable {
  const doc = JSON.parse(Deno.readTextFileSync(path));
  const rows: unknown = doc?.errors;
  if (!Array.isArray(rows)) throw new Error(`${path}: no "errors" array`);
  if (typeof doc.kafka !== "string") {
    throw new Error(`${path}: no "kafka" version`);
  }
  const out: ErrorRow[] = [];
  const names = new Set<string>();
  let last = -Infinity;
  for (const r of rows) {
    const where = `${path}: row ${JSON.stringify(r?.code)} ${r?.name ?? ""}`;
    const fail = (what: string): never => {
      throw new Error(`${where}: ${what}`);
    };
    if (typeof r !== "object" || r === null) fail("not an object");
    for (const k of Object.keys(r)) {
      if (!ROW_KEYS.has(k)) fail(`unknown key ${k}`);
    }
    if (!Number.isInteger(r.code) || r.code === 0 || r.code < -1) {
      fail("code must be -1 or a positive integer");
    }
    if (r.code <= last) fail("codes must be in increasing order");
    last = r.code;
    if (
      typeof r.name !== "string" ||
      !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(r.name)
    ) {
      fail("name must be an UPPER_SNAKE enum name");
    }
    if (typeof r.retriable !== "boolean") fail("retriable must be a boolean");
    if (r.base !== undefined && !ERROR_GROUPS.includes(r.base)) {
      fail(`base must be one of ${ERROR_GROUPS.join(", ")}`);
    }
    if (r.base === "InvalidMetadataError" && !r.retriable) {
      fail("an InvalidMetadataError code must be retriable");
    }
    if (r.nameFrom !== undefined && typeof r.nameFrom !== "string") {
      fail("nameFrom must be a string");
    }
    if (typeof r.description !== "string" || r.description.trim() === "") {
      fail("description must be a non-empty string");
    }
    const aliases = r.aliases ?? {};
    if (typeof aliases !== "object" || Array.isArray(aliases)) {
      fail("aliases must be an object");
    }
    for (const [a, from] of Object.entries(aliases)) {
      if (!/^[A-Z][A-Za-z0-9]*$/.test(a)) {
        fail(`alias ${a} is not a PascalCase name`);
      }
      if (typeof from !== "string" || from === "") {
        fail(`alias ${a}: say where it comes from`);
      }
    }
    for (const n of [className(r.name), ...Object.keys(aliases)]) {
      if (names.has(n)) fail(`${n} is used twice`);
      if ((ERROR_GROUPS as readonly string[]).includes(n)) {
        fail(`${n} is a grouping class`);
      }
      names.add(n);
    }
    out.push({ ...r, aliases });
  }
  if (out.length === 0) throw new Error(`${path}: no rows`);
  return { kafka: doc.kafka, rows: out };
}

/** A string for a JSDoc comment: no comment terminator. */
function doc(text: string): string {
  return text.replaceAll("*/", "*\\/");
}

const GROUP_TEXT: Record<(typeof ERROR_GROUPS)[number], string> = {
  InvalidMetadataError:
    "An {@link InvalidMetadataError}: refresh the metadata, then retry.",
  AuthorizationError: "An {@link AuthorizationError}.",
  AuthenticationError: "An {@link AuthenticationError}.",
};

function emitClass(row: ErrorRow): string[] {
  const cls = className(row.name);
  const { code } = row;
  const aliases = Object.entries(row.aliases);
  const lines = [
    "/**",
    ` * Kafka error ${code} \`${row.name}\` (${
      row.retriable ? "retriable" : "not retriable"
    }): ${doc(row.description)}`,
  ];
  if (row.base) lines.push(" *", ` * ${GROUP_TEXT[row.base]}`);
  if (row.nameFrom) {
    lines.push(" *", ` * \`${cls}\` is also the ${doc(row.nameFrom)} name.`);
  }
  if (aliases.length) {
    const list = aliases.map(([a, from]) => `\`${a}\` (${doc(from)} name)`);
    const text = list.length === 1
      ? list[0]
      : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
    lines.push(" *", ` * Also exported as ${text}: the same class.`);
  }
  lines.push(
    " *",
    " * @example",
    " * ```ts",
    ` * import { errorForCode, ${cls} } from "./mod.ts";`,
    ` * const err = errorForCode(${code});`,
    ` * console.assert(err instanceof ${cls} && err.code === ${cls}.code && ${
      row.retriable ? "" : "!"
    }err.retriable);`,
    " * ```",
    " */",
    `export class ${cls} extends ${row.base ?? "KafkaError"} {`,
    `  /** The Kafka error code of this class: ${code}. */`,
    `  static readonly code: ${code} = ${code};`,
    `  /** Kafka's description of error ${code}. */`,
    `  static readonly description: string = ${
      JSON.stringify(row.description)
    };`,
    "  /**",
    "   * Creates the error.",
    "   *",
    `   * @param message what went wrong (default: Kafka's description of code ${code})`,
    "   * @param options `cause`",
    "   */",
    "  constructor(message?: string, options?: ErrorOptions) {",
    `    super(message || ${cls}.description, { cause: options?.cause, code: ${code}, retriable: ${row.retriable} });`,
    "  }",
    "}",
  );
  for (const [a, from] of aliases) {
    const text = `/** The ${
      doc(from)
    } name of {@link ${cls}} (Kafka error ${code} \`${row.name}\`): the same class. */`;
    lines.push(
      "",
      text,
      `export const ${a}: typeof ${cls} = ${cls};`,
      text,
      `export type ${a} = ${cls};`,
    );
  }
  return lines;
}

/** The text of `src/errors/broker_errors.ts` for the table. */
export function emitBrokerErrors(table: ErrorTable): string {
  const { kafka, rows } = table;
  const groups = ERROR_GROUPS.filter((g) => rows.some((r) => r.base === g));
  const first = rows[0].code;
  const lastCode = rows[rows.length - 1].code;
  const out = [
    HEADER,
    "// from tools/codegen/specs/errors.json; regenerate with `deno task codegen`.",
    "//",
    `// Kafka's broker error codes as classes: one class per code of Kafka ${kafka}'s`,
    `// \`Errors\` enum (${rows.length} codes, ${first} to ${lastCode}), with each code's description`,
    "// and whether Kafka's Java client treats it as retriable. Class names are",
    "// the PascalCase of the enum names ending in `Error`; the names used by",
    "// pykafka, by earlier Kafka releases and by denokafka 0.1 are exported as",
    "// aliases of the same classes.",
    `import { KafkaError } from "./kafka_error.ts";`,
    `import { ${groups.join(", ")} } from "./error_groups.ts";`,
  ];
  for (const row of rows) out.push("", ...emitClass(row));
  out.push(
    "",
    "/** A Kafka error code with its enum name, description and class. */",
    "export interface KafkaErrorCodeInfo {",
    "  /** The numeric code on the wire. */",
    "  readonly code: number;",
    '  /** Kafka\'s enum name, e.g. `"NOT_LEADER_OR_FOLLOWER"`. */',
    "  readonly name: string;",
    "  /** Kafka's description of the code. */",
    "  readonly message: string;",
    "  /** Whether Kafka's Java client treats the error as retriable. */",
    "  readonly retriable: boolean;",
    "  /** The class {@link errorForCode} instantiates for the code. */",
    "  readonly errorClass: new (",
    "    message?: string,",
    "    options?: ErrorOptions,",
    "  ) => KafkaError;",
    "}",
    "",
    "/**",
    ` * Every Kafka error code that Kafka ${kafka} defines (except 0, \`NONE\`), in code`,
    " * order.",
    " *",
    " * @example",
    " * ```ts",
    ' * import { KAFKA_ERROR_CODES } from "./mod.ts";',
    " * const retriable = KAFKA_ERROR_CODES.filter((e) => e.retriable).map((e) => e.name);",
    " * ```",
    " */",
    "export const KAFKA_ERROR_CODES: readonly KafkaErrorCodeInfo[] = [",
  );
  for (const row of rows) {
    const cls = className(row.name);
    out.push(
      `  { code: ${row.code}, name: ${
        JSON.stringify(row.name)
      }, message: ${cls}.description, retriable: ${row.retriable}, errorClass: ${cls} },`,
    );
  }
  out.push("];", "");
  return out.join("\n");
}
