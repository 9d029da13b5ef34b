/**
 * Builds the Rust crate in `wasm/` to WebAssembly and writes the generated
 * files that TypeScript uses:
 *
 * - `wasm/denokafka_codec.generated.js`: the loader (the module bytes as
 *   base64, instantiated synchronously, no permissions needed at run time);
 * - `wasm/denokafka_codec.generated.d.ts`: its types, with `CodecExports`
 *   (name and signature of every exported function) read from the Rust
 *   sources;
 * - `wasm/denokafka_codec_constants.generated.ts`: the result slot indices
 *   (`SLOT`), the row sizes of the decoded index (`ROW`) and error kinds
 *   (`ERR`), read from the Rust sources.
 *
 * ```sh
 * deno task wasm:build   # rebuild (needs Debian's rustc-web toolchain, see wasm/README.md)
 * deno task wasm:check   # verify the committed files match the Rust sources (no toolchain needed)
 * ```
 *
 * The source hash covers `wasm/Cargo.toml`, `wasm/Cargo.lock`, every file in
 * `wasm/src/` and the build settings below, so any change to them without a
 * rebuild fails `wasm:check`. The check also re-renders the two generated
 * TypeScript files from the sources (parser: `tools/wasm_abi.ts`) and
 * compares them byte for byte, and compares the embedded module's exported
 * functions and their signatures with what the sources declare.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "../src/util/base64.ts";
import { errorText } from "../src/util/error_text.ts";
import {
  type Abi,
  compareWithModule,
  parseAbi,
  renderConstants,
  renderTypes,
} from "./wasm_abi.ts";

const ROOT = new URL("../", import.meta.url);
const WASM_DIR = new URL("wasm/", ROOT);
const OUT_JS = new URL("denokafka_codec.generated.js", WASM_DIR);
const OUT_DTS = new URL("denokafka_codec.generated.d.ts", WASM_DIR);
const OUT_CONSTANTS = new URL(
  "denokafka_codec_constants.generated.ts",
  WASM_DIR,
);
const CRATE = "denokafka_codec";
const TARGET = "wasm32-unknown-unknown";

/** Everything that shapes the output besides the sources (part of the hash). */
const SETTINGS = {
  rustc: "1.96.0",
  target: TARGET,
  buildStd: "std,panic_abort",
  rustflags: [
    "-Ctarget-feature=+simd128,+bulk-memory",
    "-Zunstable-options",
    "-Cpanic=immediate-abort",
  ],
  cc: "clang-22",
  cflags:
    "-O3 -msimd128 -mbulk-memory -DZSTD_EXCLUDE_BTOPT_BLOCK_COMPRESSOR -DZSTD_EXCLUDE_BTULTRA_BLOCK_COMPRESSOR -DZSTD_STRIP_ERROR_STRINGS",
  wasmOpt: ["-O3", "--all-features"],
};

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    data as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

async function listFiles(dir: URL, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      out.push(...await listFiles(new URL(`${entry.name}/`, dir), `${rel}/`));
    } else if (entry.isFile) out.push(rel);
  }
  return out;
}

/** The hash of the Rust sources, the lock file and the build settings. */
export async function sourceHash(): Promise<string> {
  const files = [
    "Cargo.toml",
    "Cargo.lock",
    ...await listFiles(new URL("src/", WASM_DIR), "src/"),
  ].sort();
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode(JSON.stringify(SETTINGS) + "\0")];
  for (const f of files) {
    // Normalise line endings so a checkout with CRLF hashes the same.
    const text = (await Deno.readTextFile(new URL(f, WASM_DIR))).replaceAll(
      "\r\n",
      "\n",
    );
    parts.push(enc.encode(`${f}\0${text}\0`));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return await sha256Hex(all);
}

function header(name: string, text: string): string | undefined {
  return text.match(new RegExp(`^// ${name}: (.*)$`, "m"))?.[1];
}

/** The crate's Rust sources, keyed by path relative to `wasm/`. */
async function rustSources(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(new URL("src/", WASM_DIR), "src/")) {
    if (f.endsWith(".rs")) {
      out[f] = await Deno.readTextFile(new URL(f, WASM_DIR));
    }
  }
  return out;
}

/** The generated TypeScript files and their expected contents. */
function abiFiles(abi: Abi): [URL, string][] {
  return [[OUT_DTS, renderTypes(abi)], [OUT_CONSTANTS, renderConstants(abi)]];
}

function relName(url: URL): string {
  return url.href.slice(ROOT.href.length);
}

/** Where `actual` first differs from `expected`, for the error message. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      return `line ${i + 1}: expected ${
        JSON.stringify(e[i] ?? "<end>")
      }, found ${JSON.stringify(a[i] ?? "<end>")}`;
    }
  }
  return "no difference";
}

async function check(): Promise<number> {
  const problems: string[] = [];
  let abi: Abi | undefined;
  try {
    abi = parseAbi(await rustSources());
  } catch (err) {
    problems.push(`cannot read the ABI from wasm/src: ${errorText(err)}`);
  }
  for (const [url, expected] of abi ? abiFiles(abi) : []) {
    const actual = await Deno.readTextFile(url).catch(() => undefined);
    if (actual === undefined) {
      problems.push(`${relName(url)} is missing`);
    } else if (actual.replaceAll("\r\n", "\n") !== expected) {
      problems.push(
        `${relName(url)} does not match the Rust sources (${
          firstDifference(expected, actual)
        })`,
      );
    }
  }
  const text = await Deno.readTextFile(OUT_JS).catch(() => undefined);
  const hash = await sourceHash();
  let bytes: Uint8Array | undefined;
  if (text === undefined) {
    problems.push(`${relName(OUT_JS)} is missing`);
  } else {
    const recorded = header("source-hash", text);
    if (recorded !== hash) {
      problems.push(
        `the committed WebAssembly is stale (source-hash ${recorded}, sources hash to ${hash})`,
      );
    }
    const b64 = text.match(/^const BASE64 = "([A-Za-z0-9+/=]*)";$/m)?.[1];
    if (!b64) {
      problems.push(`no embedded module found in ${relName(OUT_JS)}`);
    } else {
      bytes = decodeBase64(b64);
      if (await sha256Hex(bytes) !== header("wasm-sha256", text)) {
        problems.push("the embedded module does not match its recorded sha256");
      } else if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
        problems.push("the embedded module does not validate");
      } else if (abi) {
        problems.push(
          ...compareWithModule(abi, bytes).map((p) => `embedded module: ${p}`),
        );
      }
    }
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`wasm:check: ${p}`);
    console.error(
      "wasm:check: run `deno task wasm:build` (see wasm/README.md)",
    );
    return 1;
  }
  console.log(
    `wasm:check: ok (source-hash ${hash.slice(0, 16)}…, ${
      bytes!.length
    } bytes, ${abi!.functions.length} functions, ${abi!.slots.length} slots, ${
      abi!.rows.length
    } row sizes, ${abi!.errors.length} error kinds)`,
  );
  return 0;
}

async function run(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
  cwd?: URL,
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    cwd,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed with exit code ${out.code}`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim();
}

async function build(): Promise<number> {
  // Read the ABI first: a source the parser cannot read fails before the
  // (slow) compile.
  const abi = parseAbi(await rustSources());
  const rustcVersion = await run("/usr/bin/rustc", ["--version"]).catch(() =>
    ""
  );
  if (!rustcVersion.includes(SETTINGS.rustc)) {
    console.error(
      `wasm:build needs Debian's rustc-web ${SETTINGS.rustc} at /usr/bin/rustc (found: ${
        rustcVersion || "none"
      }).\n` +
        "Install: apt-get install rustc-web cargo-web rust-web-src lld-22 clang-22 binaryen (see wasm/README.md).",
    );
    return 1;
  }
  const clangVersion = (await run(SETTINGS.cc, ["--version"])).split("\n")[0];
  const wasmDir = decodeURIComponent(WASM_DIR.pathname).replace(/\/$/, "");
  const home = Deno.env.get("CARGO_HOME") ?? `${Deno.env.get("HOME")}/.cargo`;
  const rustflags = [
    ...SETTINGS.rustflags,
    `--remap-path-prefix=${home}=/cargo`,
    `--remap-path-prefix=${wasmDir}=/denokafka`,
    "--remap-path-prefix=/usr/src/rustc-1.96.0=/rustc",
  ];
  const env: Record<string, string> = {
    RUSTC_BOOTSTRAP: "1",
    RUSTC: "/usr/bin/rustc",
    CARGO_ENCODED_RUSTFLAGS: rustflags.join("\x1f"),
    [`CC_${TARGET.replaceAll("-", "_")}`]: SETTINGS.cc,
    [`AR_${TARGET.replaceAll("-", "_")}`]: "llvm-ar-22",
    [`CFLAGS_${TARGET.replaceAll("-", "_")}`]:
      `${SETTINGS.cflags} -ffile-prefix-map=${home}=/cargo`,
    SOURCE_DATE_EPOCH: "0",
  };
  console.log(`building with ${rustcVersion}, ${clangVersion}`);
  await run(
    "/usr/bin/cargo",
    [
      "build",
      "--release",
      "--locked",
      "--target",
      TARGET,
      `-Zbuild-std=${SETTINGS.buildStd}`,
    ],
    env,
    WASM_DIR,
  );
  const raw = new URL(`target/${TARGET}/release/${CRATE}.wasm`, WASM_DIR);
  const opt = new URL(`target/${CRATE}.opt.wasm`, WASM_DIR);
  await run("wasm-opt", [
    ...SETTINGS.wasmOpt,
    decodeURIComponent(raw.pathname),
    "-o",
    decodeURIComponent(opt.pathname),
  ]);
  const bytes = await Deno.readFile(opt);
  const module = new WebAssembly.Module(bytes);
  // The only imports are the optional native gzip hooks (see wasm/src/gzip.rs).
  const imports = WebAssembly.Module.imports(module).map((i) =>
    `${i.module}.${i.name}`
  ).sort();
  if (
    JSON.stringify(imports) !==
      JSON.stringify(["denokafka.gzip", "denokafka.gzip_take"])
  ) {
    console.error(`unexpected module imports: ${JSON.stringify(imports)}`);
    return 1;
  }
  const mismatches = compareWithModule(abi, bytes);
  if (mismatches.length > 0) {
    for (const m of mismatches) console.error(`wasm:build: ${m}`);
    console.error(
      "wasm:build: the ABI read from the sources (tools/wasm_abi.ts) does not match the built module",
    );
    return 1;
  }
  const hash = await sourceHash();
  const wasmHash = await sha256Hex(bytes);
  const js = [
    "// Code generated by tools/wasm_build.ts from the Rust crate in wasm/. DO NOT EDIT.",
    "// Rebuild with `deno task wasm:build`; `deno task wasm:check` verifies it against the sources.",
    "// deno-lint-ignore-file",
    "// deno-fmt-ignore-file",
    '// @ts-self-types="./denokafka_codec.generated.d.ts"',
    `// source-hash: ${hash}`,
    `// wasm-sha256: ${wasmHash}`,
    `// toolchain: ${rustcVersion}; ${clangVersion}`,
    "",
    `export const SOURCE_HASH = "${hash}";`,
    `export const WASM_SHA256 = "${wasmHash}";`,
    `const BASE64 = "${encodeBase64(bytes)}";`,
    "",
    "let bytes;",
    "let compiled;",
    "",
    "export function wasmBytes() {",
    "  if (bytes === undefined) {",
    '    if (typeof Uint8Array.fromBase64 === "function") {',
    "      bytes = Uint8Array.fromBase64(BASE64);",
    "    } else {",
    "      const bin = atob(BASE64);",
    "      bytes = new Uint8Array(bin.length);",
    "      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);",
    "    }",
    "  }",
    "  return bytes;",
    "}",
    "",
    "export function wasmModule() {",
    "  if (compiled === undefined) compiled = new WebAssembly.Module(wasmBytes());",
    "  return compiled;",
    "}",
    "",
  ].join("\n");
  await Deno.writeTextFile(OUT_JS, js);
  console.log(
    `wrote ${
      relName(OUT_JS)
    }: ${bytes.length} bytes of WebAssembly, source-hash ${hash}, wasm-sha256 ${wasmHash}`,
  );
  for (const [url, text] of abiFiles(abi)) {
    await Deno.writeTextFile(url, text);
    console.log(
      `wrote ${
        relName(url)
      }: ${abi.functions.length} functions, ${abi.slots.length} slots, ${abi.rows.length} row sizes, ${abi.errors.length} error kinds`,
    );
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(Deno.args.includes("--check") ? await check() : await build());
}
