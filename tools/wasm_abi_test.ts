import assert from "node:assert/strict";
import {
  AbiParseError,
  compareWithModule,
  exportedFunctions,
  parseAbi,
  renderConstants,
  screamingSnake,
} from "./wasm_abi.ts";
import { wasmBytes } from "../wasm/denokafka_codec.generated.js";

const LIB = `
/// Result slots.
pub mod slot {
    pub const FIRST: usize = 0;
    // a comment
    /// The second one.
    pub const SECOND: usize = 1_0;
}

/// Adds.
/// Two lines.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn dk_add(
    a: u32,
    b_value: f64,
    p: *const u8,
) -> i32 {
    0
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn dk_noop() {}
`;

const ERROR = `
/// What went wrong.
#[repr(i32)]
pub enum ErrorKind {
    /// Bad bytes.
    Corrupt = 1,
    CrcMismatch = 2,
}
`;

const DECODE = `
/// Row sizes.
pub mod row {
    /// Two per record.
    /// (offset, timestamp)
    pub const REC_F64: usize = 2;
}
pub use row::REC_F64;
`;

Deno.test("wasm_abi: reads slots, row sizes, error kinds and exported functions", () => {
  const abi = parseAbi({
    "src/lib.rs": LIB,
    "src/error.rs": ERROR,
    "src/decode.rs": DECODE,
  });
  assert.equal(abi.slotDoc, "Result slots.");
  assert.deepEqual(abi.slots, [
    { name: "FIRST", value: 0, doc: "" },
    { name: "SECOND", value: 10, doc: "The second one." },
  ]);
  assert.equal(abi.rowDoc, "Row sizes.");
  assert.deepEqual(abi.rows, [
    { name: "REC_F64", value: 2, doc: "Two per record.\n(offset, timestamp)" },
  ]);
  assert.deepEqual(abi.errors.map((e) => [e.name, e.value, e.doc]), [
    ["CORRUPT", 1, "Bad bytes."],
    ["CRC_MISMATCH", 2, ""],
  ]);
  assert.deepEqual(
    abi.functions.map((f) => ({
      name: f.name,
      doc: f.doc,
      params: f.params.map((p) => `${p.name}:${p.rust}:${p.wasm}`),
      result: f.result?.wasm,
    })),
    [
      {
        name: "dk_add",
        doc: "Adds.\nTwo lines.",
        params: ["a:u32:i32", "b_value:f64:f64", "p:*const u8:i32"],
        result: "i32",
      },
      { name: "dk_noop", doc: "", params: [], result: undefined },
    ],
  );
  assert.match(renderConstants(abi), /\n {2}CRC_MISMATCH: 2,\n/);
  assert.match(renderConstants(abi), /\nexport const ROW = \{\n/);
  assert.equal(screamingSnake("UnsupportedCodec"), "UNSUPPORTED_CODEC");
});

Deno.test("wasm_abi: anything it does not know is an error naming file and line", () => {
  const bad: [string, string, RegExp][] = [
    [
      LIB.replace("a: u32", "a: &[u8]"),
      ERROR,
      /src\/lib\.rs:\d+: type `&\[u8\]` is not a wasm32 scalar/,
    ],
    [
      LIB.replace("= 1_0;", "= 10; // x"),
      ERROR,
      /src\/lib\.rs:7: expected `pub const NAME: usize = N;`/,
    ],
    [
      LIB.replace("pub unsafe extern", 'pub extern "system"'),
      ERROR,
      /expected `pub extern "C" fn name/,
    ],
    [LIB, ERROR.replace("Corrupt = 1,", "Corrupt,"), /src\/error\.rs:6:/],
    [LIB.replace("dk_noop", "dk_add"), ERROR, /`dk_add` is exported twice/],
  ];
  for (const [lib, error, message] of bad) {
    assert.throws(
      () =>
        parseAbi({
          "src/lib.rs": lib,
          "src/error.rs": error,
          "src/decode.rs": DECODE,
        }),
      (e) => e instanceof AbiParseError && message.test(e.message),
    );
  }
  assert.throws(
    () =>
      parseAbi({
        "src/lib.rs": LIB,
        "src/error.rs": ERROR,
        "src/decode.rs": DECODE.replace("= 2;", "= two;"),
      }),
    (e) =>
      e instanceof AbiParseError &&
      /src\/decode\.rs:6: expected `pub const NAME: usize = N;`/.test(
        e.message,
      ),
  );
});

Deno.test("wasm_abi: the committed module exports what the Rust sources declare", async () => {
  const sources: Record<string, string> = {};
  const dir = new URL("../wasm/src/", import.meta.url);
  for await (const e of Deno.readDir(dir)) {
    if (e.name.endsWith(".rs")) {
      sources[`src/${e.name}`] = await Deno.readTextFile(new URL(e.name, dir));
    }
  }
  const abi = parseAbi(sources);
  assert.deepEqual(compareWithModule(abi, wasmBytes()), []);
  const sig = exportedFunctions(wasmBytes()).get("dk_decode");
  assert.deepEqual(sig, {
    params: ["i32", "i32", "f64", "f64"],
    results: ["i32"],
  });
  // A function the sources declare but the module lacks is reported.
  const extra = structuredClone(abi);
  extra.functions.push({ ...extra.functions[0], name: "dk_missing" });
  assert.match(compareWithModule(extra, wasmBytes())[0], /dk_missing/);
});
