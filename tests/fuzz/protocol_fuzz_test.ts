// Seeded mutation fuzzing of every protocol response decoder (issue 17):
// 10 000 cases per decoder from the captured real responses
// (tests/fuzz/corpus/) and responses encoded from the model at every
// version; only `KafkaError`s may come out. `deno task fuzz` runs the same
// targets a million cases at a time. FUZZ_SEED / FUZZ_CASES override the
// seed and the number of cases.
import assert from "node:assert/strict";
import { allTargets, runTarget, summary } from "./_fuzz.ts";
import { APIS_IN_USE, apiSeeds } from "./_corpus.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20_261_207);
const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 10_000);

const targets = (await allTargets(SEED)).filter((t) =>
  t.name.endsWith(" response") || t.name.includes("decodeVersioned")
);

Deno.test("fuzz corpus: every API the client sends has captured real responses", async () => {
  const seeds = await apiSeeds(SEED);
  for (const name of APIS_IN_USE) {
    const s = seeds.find((x) => x.api.name === name);
    assert.ok(s, name);
    const captured = s.seeds.filter((x) => x.from === "captured");
    assert.ok(captured.length > 0, `${name}: no captured frame`);
  }
  // Every known API is a target (31 APIs, 2 schemas).
  assert.equal(targets.length, seeds.length + 2);
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
  });
}
