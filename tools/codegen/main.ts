/**
 * The code generator: reads Kafka's JSON message specs
 * (`<specs>/4.1/*.json`, with `<specs>/3.9/*.json` for the versions 4.1 no
 * longer lists) and writes `src/protocol/generated/`; reads the broker error
 * table `tools/codegen/specs/errors.json` and writes
 * `src/errors/broker_errors.ts` (see `errors.ts`).
 *
 * ```sh
 * deno task codegen          # regenerate src/protocol/generated/ and src/errors/broker_errors.ts
 * deno task codegen:check    # regenerate into a temp dir, fail if the committed files differ
 * ```
 *
 * The specs directory defaults to `tools/codegen/specs/` (the files the
 * generator needs, vendored from Kafka by `deno task codegen:vendor`);
 * `KAFKA_SPECS_DIR` overrides it. The error table is denokafka's own and is
 * always read from `tools/codegen/specs/errors.json`.
 *
 * @module
 */
import { APIS, DATA_SCHEMAS, loadMessage } from "./model.ts";
import { emitApi, emitData, fileName, HEADER } from "./emit.ts";
import { emitBrokerErrors, loadErrorTable } from "./errors.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const OUT = `${ROOT}/src/protocol/generated`;
const ERROR_TABLE = `${ROOT}/tools/codegen/specs/errors.json`;
const ERRORS_OUT = `${ROOT}/src/errors/broker_errors.ts`;

/** The generated broker error module, from the error table. */
export function generateErrors(table: string = ERROR_TABLE): string {
  return emitBrokerErrors(loadErrorTable(table));
}

function specsDir(): string {
  const dir = Deno.env.get("KAFKA_SPECS_DIR") ??
    `${ROOT}/tools/codegen/specs`;
  try {
    Deno.statSync(`${dir}/4.1`);
  } catch {
    throw new Error(
      `Kafka message specs not found in ${dir} (expected ${dir}/4.1/*.json); set KAFKA_SPECS_DIR`,
    );
  }
  return dir;
}

/** Every generated file: name -> content. */
export function generate(dir: string = specsDir()): Map<string, string> {
  const files = new Map<string, string>();
  const index: { api: string; key: number; file: string }[] = [];
  for (const api of APIS) {
    const req = loadMessage(dir, `${api}Request`);
    const res = loadMessage(
      dir,
      `${api}Response`,
      req.universe[req.universe.length - 1],
    );
    const file = fileName(api);
    files.set(file, emitApi(req, res));
    index.push({ api, key: req.apiKey, file });
  }
  const dataFiles: string[] = [];
  for (const name of DATA_SCHEMAS) {
    const file = fileName(name);
    files.set(file, emitData(loadMessage(dir, name)));
    dataFiles.push(file);
  }
  const mod: string[] = [
    HEADER,
    "",
    "/**",
    " * Every generated API and schema, and the table of APIs by key.",
    " *",
    " * @module",
    " */",
    `import type { ApiMessage } from "../api.ts";`,
  ];
  for (const { api, file } of index) {
    mod.push(`import { ${api} } from "./${file}";`);
  }
  mod.push("");
  for (const { file } of index) mod.push(`export * from "./${file}";`);
  for (const file of dataFiles) mod.push(`export * from "./${file}";`);
  mod.push("");
  mod.push("/**");
  mod.push(" * Every API this library generates, by API key.");
  mod.push(" *");
  mod.push(" * @example");
  mod.push(" * ```ts");
  mod.push(` * import { API_BY_KEY } from "../mod.ts";`);
  mod.push(` * console.assert(API_BY_KEY.get(3)?.name === "Metadata");`);
  mod.push(" * ```");
  mod.push(" */");
  mod.push(
    "export const API_BY_KEY: ReadonlyMap<number, ApiMessage<unknown, unknown>> = new Map<",
  );
  mod.push("  number,");
  mod.push("  ApiMessage<unknown, unknown>");
  mod.push(">([");
  for (const { api, key } of [...index].sort((a, b) => a.key - b.key)) {
    mod.push(`  [${key}, ${api} as ApiMessage<unknown, unknown>],`);
  }
  mod.push("]);");
  mod.push("");
  files.set("mod.ts", mod.join("\n"));
  return files;
}

function readDir(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile) m.set(e.name, Deno.readTextFileSync(`${dir}/${e.name}`));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return m;
}

function write(files: Map<string, string>, dir: string): void {
  Deno.mkdirSync(dir, { recursive: true });
  for (const [name, text] of readDir(dir)) {
    if (!files.has(name) && text.startsWith(HEADER)) {
      Deno.removeSync(`${dir}/${name}`);
    }
  }
  for (const [name, text] of files) {
    Deno.writeTextFileSync(`${dir}/${name}`, text);
  }
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const files = generate();
  const errors = generateErrors();
  if (check) {
    const tmp = Deno.makeTempDirSync({ prefix: "codegen-check-" });
    try {
      write(files, tmp);
      const fresh = readDir(tmp);
      const committed = readDir(OUT);
      const diffs: string[] = [];
      for (const [name, text] of fresh) {
        if (committed.get(name) !== text) diffs.push(name);
      }
      for (const name of committed.keys()) {
        if (!fresh.has(name)) diffs.push(`${name} (not generated any more)`);
      }
      if (diffs.length) {
        console.error(
          `src/protocol/generated/ is out of date; run \`deno task codegen\`. Differs: ${
            diffs.join(", ")
          }`,
        );
        Deno.exit(1);
      }
      if (readText(ERRORS_OUT) !== errors) {
        console.error(
          "src/errors/broker_errors.ts is out of date (or edited by hand); run `deno task codegen`",
        );
        Deno.exit(1);
      }
      console.log(
        `codegen:check: ${fresh.size} generated files and src/errors/broker_errors.ts are up to date`,
      );
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  } else {
    write(files, OUT);
    Deno.writeTextFileSync(ERRORS_OUT, errors);
    console.log(`wrote ${files.size} files to ${OUT} and ${ERRORS_OUT}`);
  }
}
