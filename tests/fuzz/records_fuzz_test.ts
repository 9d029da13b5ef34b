// Seeded mutation fuzzing of the record decoders (issue 17): 10 000 cases
// each of `decodeRecords`, `decodeMessages` and `decompress` of every codec,
// from record sets in every format and codec (encoded here and taken from
// captured Fetch responses), mutated as bytes, with checksums made valid
// again, or inside a compressed batch and recompressed. Only `KafkaError`s
// may come out, and after every failure a known-good batch must still
// decode correctly (the WebAssembly instance stays usable). FUZZ_SEED /
// FUZZ_CASES override the seed and the number of cases.
import assert from "node:assert/strict";
import { allTargets, codecHealthCheck, runTarget, summary } from "./_fuzz.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20_261_207);
const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 10_000);

const targets = (await allTargets(SEED)).filter((t) =>
  t.name.startsWith("decode") && !t.name.includes("decodeVersioned") ||
  t.name.startsWith("decompress")
);

Deno.test("fuzz: the record targets are decodeRecords, decodeMessages and decompress of every codec", () => {
  assert.deepEqual(targets.map((t) => t.name), [
    "decodeRecords",
    "decodeMessages",
    "decompress none",
    "decompress gzip",
    "decompress snappy",
    "decompress lz4",
    "decompress zstd",
  ]);
  codecHealthCheck();
});

for (const t of targets) {
  Deno.test(`fuzz: ${t.name}, ${CASES} cases`, () => {
    const s = runTarget(t, CASES, SEED);
    console.log(summary(s));
    assert.equal(s.cases, CASES);
    assert.deepEqual(
      s.findings.slice(0, 5),
      [],
      `${s.findings.length} findings`,
    );
    // Every failure was followed by a known-good decode.
    if (t.healthCheck) assert.equal(s.healthChecks, s.cases - s.decoded);
  });
}
