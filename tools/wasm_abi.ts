/**
 * The ABI of the WebAssembly codec, read from its Rust sources, so the
 * TypeScript side never restates it by hand. `tools/wasm_build.ts` renders it
 * into two generated files and `deno task wasm:check` compares them (and the
 * embedded module's exports) against it; no Rust toolchain is needed.
 *
 * The parser is deliberately small. It reads the sources line by line and
 * understands exactly these item shapes; anything else inside them is an
 * error (naming file and line), never silently skipped:
 *
 * - the result slots, `pub mod slot { … }` in `wasm/src/lib.rs`: one
 *   `pub const NAME: usize = <integer>;` per line (`///` doc lines, `//`
 *   comments and blank lines allowed in between) → `SLOT` in
 *   `wasm/denokafka_codec_constants.generated.ts`;
 * - the row sizes of the decoded index, `pub mod row { … }` in
 *   `wasm/src/decode.rs`, the same shape → `ROW`;
 * - the error kinds, `pub enum ErrorKind { … }` in `wasm/src/error.rs`: one
 *   `Variant = <integer>,` per line, each with `///` docs → `ERR` (names in
 *   SCREAMING_SNAKE_CASE, `CrcMismatch` → `CRC_MISMATCH`);
 * - the exported functions, in every file of `wasm/src/`: a `#[no_mangle]`
 *   (or `#[unsafe(no_mangle)]`) line, optionally more `#[…]` attribute lines,
 *   then `pub [unsafe] extern "C" fn name(arg: Type, …) [-> Type] {` (the
 *   signature may span lines up to its `{`); the `///` lines above the
 *   attribute become the JSDoc → `CodecExports` in
 *   `wasm/denokafka_codec.generated.d.ts`. Argument and return types must be
 *   wasm32 scalars: `u8`…`u32`, `i8`…`i32`, `usize`, `isize`, `bool`, raw
 *   pointers (`*const T`, `*mut T`) → `i32`; `u64`/`i64` → `i64`
 *   (`bigint`); `f32`, `f64`.
 *
 * @module
 */

/** A WebAssembly value type as it appears in function signatures. */
export type ValType = "i32" | "i64" | "f32" | "f64" | "v128" | "ref";

/** One named integer constant with its doc comment. */
export interface AbiConst {
  name: string;
  value: number;
  doc: string;
}

/** One argument of an exported function. */
export interface AbiParam {
  /** The Rust name (snake_case). */
  name: string;
  /** The Rust type as written. */
  rust: string;
  wasm: ValType;
}

/** One `#[no_mangle] pub extern "C" fn`. */
export interface AbiFunction {
  name: string;
  doc: string;
  /** Source file (relative to `wasm/`) and line of the `fn`. */
  where: string;
  params: AbiParam[];
  result: { rust: string; wasm: ValType } | undefined;
}

/** Everything TypeScript needs to know about the module. */
export interface Abi {
  slotDoc: string;
  slots: AbiConst[];
  rowDoc: string;
  rows: AbiConst[];
  errorDoc: string;
  errors: AbiConst[];
  functions: AbiFunction[];
}

/** The parser's error: names the file and line it could not read. */
export class AbiParseError extends Error {
  override name = "AbiParseError";
}

const SCALARS: Record<string, ValType> = {
  u8: "i32",
  i8: "i32",
  u16: "i32",
  i16: "i32",
  u32: "i32",
  i32: "i32",
  usize: "i32",
  isize: "i32",
  bool: "i32",
  u64: "i64",
  i64: "i64",
  f32: "f32",
  f64: "f64",
};

function wasmType(rust: string, where: string): ValType {
  const t = rust.trim();
  if (/^\*(const|mut)\s+\S/.test(t)) return "i32";
  const v = SCALARS[t];
  if (v === undefined) {
    throw new AbiParseError(
      `${where}: type \`${t}\` is not a wasm32 scalar the ABI parser knows (see tools/wasm_abi.ts)`,
    );
  }
  return v;
}

/** The `///` doc lines directly above line `i` (attributes in between are skipped). */
function docAbove(lines: string[], i: number): string {
  const doc: string[] = [];
  let j = i - 1;
  while (j >= 0 && lines[j].trim().startsWith("#[")) j--;
  for (; j >= 0; j--) {
    const t = lines[j].trim();
    if (!t.startsWith("///")) break;
    doc.unshift(t.replace(/^\/\/\/ ?/, ""));
  }
  return doc.join("\n");
}

/**
 * The lines of the brace block opened on line `open` (exclusive of the
 * opening and closing lines); the block must close on a line of its own.
 */
function blockLines(
  lines: string[],
  open: number,
  file: string,
): { start: number; end: number } {
  for (let i = open + 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "}") return { start: open + 1, end: i };
    if (t.includes("{") || t.includes("}")) {
      throw new AbiParseError(
        `${file}:${i + 1}: nested braces are not expected in this block`,
      );
    }
  }
  throw new AbiParseError(`${file}:${open + 1}: the block never closes`);
}

/** Reads `pattern` items from a block; doc lines, comments, blanks allowed. */
function blockItems(
  lines: string[],
  open: number,
  file: string,
  pattern: RegExp,
  what: string,
): AbiConst[] {
  const { start, end } = blockLines(lines, open, file);
  const out: AbiConst[] = [];
  let doc: string[] = [];
  for (let i = start; i < end; i++) {
    const t = lines[i].trim();
    if (t.startsWith("///")) {
      doc.push(t.replace(/^\/\/\/ ?/, ""));
      continue;
    }
    if (t === "" || t.startsWith("//")) continue;
    const m = t.match(pattern);
    if (!m) {
      throw new AbiParseError(
        `${file}:${i + 1}: expected ${what}, found \`${t}\``,
      );
    }
    const value = Number(m[2].replaceAll("_", ""));
    if (!Number.isSafeInteger(value)) {
      throw new AbiParseError(
        `${file}:${i + 1}: \`${m[2]}\` is not an integer`,
      );
    }
    if (out.some((c) => c.name === m[1])) {
      throw new AbiParseError(`${file}:${i + 1}: \`${m[1]}\` is defined twice`);
    }
    out.push({ name: m[1], value, doc: doc.join("\n") });
    doc = [];
  }
  return out;
}

function findLine(
  lines: string[],
  pattern: RegExp,
  file: string,
  what: string,
): number {
  const hits = lines.flatMap((l, i) => pattern.test(l) ? [i] : []);
  if (hits.length !== 1) {
    throw new AbiParseError(
      `${file}: expected exactly one ${what}, found ${hits.length}`,
    );
  }
  return hits[0];
}

/** `CrcMismatch` → `CRC_MISMATCH`. */
export function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** `bytes_len` → `bytesLen`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseFunctions(file: string, text: string): AbiFunction[] {
  const lines = text.split("\n");
  const out: AbiFunction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t !== "#[no_mangle]" && t !== "#[unsafe(no_mangle)]") continue;
    const doc = docAbove(lines, i);
    let j = i + 1;
    while (j < lines.length && lines[j].trim().startsWith("#[")) j++;
    let sig = "";
    let k = j;
    for (; k < lines.length && !sig.includes("{"); k++) {
      sig += " " + lines[k].trim();
    }
    const where = `${file}:${j + 1}`;
    const m = sig.trim().match(
      /^pub (?:unsafe )?extern "C" fn (\w+)\s*\(([^)]*)\)\s*(?:->\s*([^{]+?))?\s*\{/,
    );
    if (!m) {
      throw new AbiParseError(
        `${where}: expected \`pub extern "C" fn name(…) [-> T] {\` after #[no_mangle], found \`${sig.trim()}\``,
      );
    }
    const params = m[2].split(",").map((p) => p.trim()).filter((p) => p !== "")
      .map((p) => {
        const pm = p.match(/^(?:mut\s+)?(\w+)\s*:\s*(.+)$/);
        if (!pm) {
          throw new AbiParseError(`${where}: cannot read argument \`${p}\``);
        }
        return {
          name: pm[1],
          rust: pm[2].trim(),
          wasm: wasmType(pm[2], where),
        };
      });
    const ret = m[3]?.trim();
    out.push({
      name: m[1],
      doc,
      where,
      params,
      result: ret === undefined || ret === "()"
        ? undefined
        : { rust: ret, wasm: wasmType(ret, where) },
    });
    i = k - 1;
  }
  return out;
}

/**
 * Parses the ABI from the crate's sources.
 *
 * @param sources every `.rs` file of the crate, keyed by its path relative to
 *   `wasm/` (`src/lib.rs`, `src/error.rs`, …)
 */
export function parseAbi(sources: Record<string, string>): Abi {
  const norm = (f: string) => {
    const text = sources[f];
    if (text === undefined) throw new AbiParseError(`${f} is missing`);
    return text.replaceAll("\r\n", "\n");
  };
  const lib = norm("src/lib.rs").split("\n");
  const slotLine = findLine(
    lib,
    /^\s*pub mod slot \{\s*$/,
    "src/lib.rs",
    "`pub mod slot {`",
  );
  const slots = blockItems(
    lib,
    slotLine,
    "src/lib.rs",
    /^pub const ([A-Z][A-Z0-9_]*): usize = ([0-9_]+);$/,
    "`pub const NAME: usize = N;`",
  );
  const dec = norm("src/decode.rs").split("\n");
  const rowLine = findLine(
    dec,
    /^\s*pub mod row \{\s*$/,
    "src/decode.rs",
    "`pub mod row {`",
  );
  const rows = blockItems(
    dec,
    rowLine,
    "src/decode.rs",
    /^pub const ([A-Z][A-Z0-9_]*): usize = ([0-9_]+);$/,
    "`pub const NAME: usize = N;`",
  );
  const err = norm("src/error.rs").split("\n");
  const errLine = findLine(
    err,
    /^\s*pub enum ErrorKind \{\s*$/,
    "src/error.rs",
    "`pub enum ErrorKind {`",
  );
  const errors = blockItems(
    err,
    errLine,
    "src/error.rs",
    /^([A-Z][A-Za-z0-9]*) = ([0-9_]+),?$/,
    "`Variant = N,`",
  ).map((c) => ({ ...c, name: screamingSnake(c.name) }));
  const functions = Object.keys(sources).sort().flatMap((f) =>
    parseFunctions(f, norm(f))
  );
  const seen = new Set<string>();
  for (const f of functions) {
    if (seen.has(f.name)) {
      throw new AbiParseError(`${f.where}: \`${f.name}\` is exported twice`);
    }
    seen.add(f.name);
  }
  if (
    slots.length === 0 || rows.length === 0 || errors.length === 0 ||
    functions.length === 0
  ) {
    throw new AbiParseError(
      "found no slots, no row sizes, no error kinds or no exported functions",
    );
  }
  return {
    slotDoc: docAbove(lib, slotLine),
    slots,
    rowDoc: docAbove(dec, rowLine),
    rows,
    errorDoc: docAbove(err, errLine),
    errors,
    functions,
  };
}

function jsdoc(text: string, indent: string): string[] {
  const lines = text.replaceAll("*/", "*\\/").split("\n");
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [
    `${indent}/**`,
    ...lines.map((l) => l === "" ? `${indent} *` : `${indent} * ${l}`),
    `${indent} */`,
  ];
}

const TS_TYPE: Record<ValType, string> = {
  i32: "number",
  i64: "bigint",
  f32: "number",
  f64: "number",
  v128: "never",
  ref: "unknown",
};

const BANNER = [
  "// Code generated by tools/wasm_build.ts (parser: tools/wasm_abi.ts) from the Rust sources in wasm/src/. DO NOT EDIT.",
  "// Rebuild with `deno task wasm:build`; `deno task wasm:check` fails when this file and the sources disagree.",
  "// deno-fmt-ignore-file",
];

/** `wasm/denokafka_codec_constants.generated.ts`: `SLOT`, `ROW` and `ERR`. */
export function renderConstants(abi: Abi): string {
  const obj = (items: AbiConst[]) =>
    items.flatMap((c) => [
      ...(c.doc ? jsdoc(c.doc, "  ") : []),
      `  ${c.name}: ${c.value},`,
    ]);
  return [
    ...BANNER,
    "",
    ...jsdoc(
      `${abi.slotDoc}\n\nFrom \`pub mod slot\` in \`wasm/src/lib.rs\`.`,
      "",
    ),
    "export const SLOT = {",
    ...obj(abi.slots),
    "} as const;",
    "",
    ...jsdoc(
      `${abi.rowDoc}\n\nFrom \`pub mod row\` in \`wasm/src/decode.rs\`.`,
      "",
    ),
    "export const ROW = {",
    ...obj(abi.rows),
    "} as const;",
    "",
    ...jsdoc(
      `${abi.errorDoc}\n\nFrom \`pub enum ErrorKind\` in \`wasm/src/error.rs\`; functions return the kind negated.`,
      "",
    ),
    "export const ERR = {",
    ...obj(abi.errors),
    "} as const;",
    "",
  ].join("\n");
}

/** `wasm/denokafka_codec.generated.d.ts`: the loader's exports and `CodecExports`. */
export function renderTypes(abi: Abi): string {
  const fns = abi.functions.flatMap((f) => {
    const rustSig = `fn ${f.name}(${
      f.params.map((p) => `${p.name}: ${p.rust}`).join(", ")
    })${f.result ? ` -> ${f.result.rust}` : ""}`;
    const args = f.params.map((p) =>
      `${camelCase(p.name)}: ${TS_TYPE[p.wasm]}`
    );
    const ret = f.result ? TS_TYPE[f.result.wasm] : "void";
    const one = `  ${f.name}(${args.join(", ")}): ${ret};`;
    return [
      "",
      ...jsdoc(`${f.doc ? f.doc + "\n\n" : ""}Rust: \`${rustSig}\``, "  "),
      ...(one.length <= 80
        ? [one]
        : [`  ${f.name}(`, ...args.map((a) => `    ${a},`), `  ): ${ret};`]),
    ];
  });
  return [
    ...BANNER,
    "// Types of the generated loader `denokafka_codec.generated.js` (it points here with `@ts-self-types`).",
    "",
    "/** sha256 of the Rust sources, Cargo.lock and build settings the module was built from. */",
    "export const SOURCE_HASH: string;",
    "/** sha256 of the embedded WebAssembly module. */",
    "export const WASM_SHA256: string;",
    "/** The WebAssembly module's bytes (decoded from base64 once). */",
    "export function wasmBytes(): Uint8Array;",
    "/** The compiled module, compiled synchronously on first use and cached. */",
    "export function wasmModule(): WebAssembly.Module;",
    "",
    "/**",
    ' * The module\'s exports: every `#[no_mangle] pub extern "C" fn` of `wasm/src/`',
    " * (plain C ABI; `u32` results arrive as signed 32-bit numbers).",
    " */",
    "export interface CodecExports {",
    "  readonly memory: WebAssembly.Memory;",
    ...fns,
    "}",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------
// The compiled module's export signatures, read from the binary (type,
// import, function and export sections), to check the parser against it.

const VALTYPES: Record<number, ValType> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "ref",
  0x6f: "ref",
};

/** A function signature in the module. */
export interface WasmSignature {
  params: ValType[];
  results: ValType[];
}

/** The exported functions of a WebAssembly binary with their signatures. */
export function exportedFunctions(
  bytes: Uint8Array,
): Map<string, WasmSignature> {
  let p = 8; // magic + version
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      if (b === undefined) throw new Error("truncated WebAssembly module");
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const name = (): string => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const valtype = (): ValType => {
    const v = VALTYPES[bytes[p++]];
    if (v === undefined) {
      throw new Error(`unknown value type 0x${bytes[p - 1].toString(16)}`);
    }
    return v;
  };
  const limits = () => {
    const flags = bytes[p++];
    u32();
    if (flags & 1) u32();
  };
  const types: WasmSignature[] = [];
  const funcTypes: number[] = [];
  const exports = new Map<string, WasmSignature>();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        if (bytes[p++] !== 0x60) throw new Error("unsupported type form");
        const params = Array.from({ length: u32() }, valtype);
        const results = Array.from({ length: u32() }, valtype);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[p++];
        if (kind === 0) funcTypes.push(u32());
        else if (kind === 1) {
          p++;
          limits();
        } else if (kind === 2) limits();
        else if (kind === 3) p += 2;
        else if (kind === 4) {
          p++;
          u32();
        } else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const exportName = name();
        const kind = bytes[p++];
        const index = u32();
        if (kind === 0) exports.set(exportName, types[funcTypes[index]]);
      }
    }
    p = end;
  }
  return exports;
}

/**
 * Functions a dependency exports with `#[no_mangle]`: zstd-sys's wasm shim
 * (`malloc`, `memcpy`, … for the C library). Not part of denokafka's ABI.
 */
const DEPENDENCY_EXPORTS = /^rust_zstd_wasm_shim_\w+$/;

/**
 * Differences between the parsed ABI and the module's exported functions:
 * every parsed function must be exported with the same signature, and every
 * exported function must be parsed (apart from {@link DEPENDENCY_EXPORTS}).
 */
export function compareWithModule(abi: Abi, bytes: Uint8Array): string[] {
  const actual = exportedFunctions(bytes);
  const problems: string[] = [];
  for (const f of abi.functions) {
    const sig = actual.get(f.name);
    if (sig === undefined) {
      problems.push(`${f.name} (${f.where}) is not exported by the module`);
      continue;
    }
    const want = JSON.stringify({
      params: f.params.map((p) => p.wasm),
      results: f.result ? [f.result.wasm] : [],
    });
    if (JSON.stringify(sig) !== want) {
      problems.push(
        `${f.name}: the module's signature ${
          JSON.stringify(sig)
        } differs from the source's ${want}`,
      );
    }
  }
  for (const name of actual.keys()) {
    if (
      !abi.functions.some((f) => f.name === name) &&
      !DEPENDENCY_EXPORTS.test(name)
    ) {
      problems.push(
        `the module exports ${name}, which the ABI parser did not find in wasm/src/`,
      );
    }
  }
  return problems;
}
