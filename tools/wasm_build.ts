/**
 * Builds the Rust crate in `wasm/` to WebAssembly and writes the generated
 * loader module `wasm/denokafka_codec.generated.js` (the module bytes as
 * base64, instantiated synchronously, no permissions needed at run time).
 *
 * ```sh
 * deno task wasm:build   # rebuild (needs Debian's rustc-web toolchain, see wasm/README.md)
 * deno task wasm:check   # verify the committed artifact matches the Rust sources
 * ```
 *
 * The source hash covers `wasm/Cargo.toml`, `wasm/Cargo.lock`, every file in
 * `wasm/src/` and the build settings below, so any change to them without a
 * rebuild fails `wasm:check`.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const WASM_DIR = new URL("wasm/", ROOT);
const OUT_JS = new URL("denokafka_codec.generated.js", WASM_DIR);
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

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

async function check(): Promise<number> {
  let text: string;
  try {
    text = await Deno.readTextFile(OUT_JS);
  } catch {
    console.error(
      "wasm:check: wasm/denokafka_codec.generated.js is missing; run `deno task wasm:build`",
    );
    return 1;
  }
  const expected = await sourceHash();
  const recorded = header("source-hash", text);
  if (recorded !== expected) {
    console.error(
      `wasm:check: the committed WebAssembly is stale (source-hash ${recorded}, sources hash to ${expected}); run \`deno task wasm:build\``,
    );
    return 1;
  }
  const b64 = text.match(/^const BASE64 = "([A-Za-z0-9+/=]*)";$/m)?.[1];
  if (!b64) {
    console.error(
      "wasm:check: no embedded module found in wasm/denokafka_codec.generated.js",
    );
    return 1;
  }
  const bytes = decodeBase64(b64);
  const digest = await sha256Hex(bytes);
  if (digest !== header("wasm-sha256", text)) {
    console.error(
      "wasm:check: the embedded module does not match its recorded sha256",
    );
    return 1;
  }
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
    console.error("wasm:check: the embedded module does not validate");
    return 1;
  }
  console.log(
    `wasm:check: ok (source-hash ${
      expected.slice(0, 16)
    }…, ${bytes.length} bytes)`,
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
  const hash = await sourceHash();
  const wasmHash = await sha256Hex(bytes);
  const js = [
    "// Code generated by tools/wasm_build.ts from the Rust crate in wasm/. DO NOT EDIT.",
    "// Rebuild with `deno task wasm:build`; `deno task wasm:check` verifies it against the sources.",
    "// deno-lint-ignore-file",
    "// deno-fmt-ignore-file",
    '// @ts-self-types="./denokafka_codec.d.ts"',
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
    `wrote wasm/denokafka_codec.generated.js: ${bytes.length} bytes of WebAssembly, source-hash ${hash}`,
  );
  return 0;
}

if (import.meta.main) {
  Deno.exit(Deno.args.includes("--check") ? await check() : await build());
}
