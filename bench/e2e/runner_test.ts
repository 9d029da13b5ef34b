import assert from "node:assert/strict";
import { parseResultLine, runPeer } from "./runner.ts";
import { median, spread, summarize } from "./stats.ts";
import { payloadText } from "./payload.ts";

Deno.test("parseResultLine takes the last tagged JSON line and ignores noise", () => {
  const out = [
    "log4j:WARN something",
    '{"result":"denokafka-bench/1","records":1}',
    '{"not":"ours"}',
    '{"result":"denokafka-bench/1","records":2,"elapsedMs":5}',
    "trailing text",
  ].join("\n");
  assert.deepEqual(parseResultLine(out), {
    result: "denokafka-bench/1",
    records: 2,
    elapsedMs: 5,
  });
  assert.equal(parseResultLine('{"result":"other/1"}\nplain'), null);
  assert.equal(parseResultLine('{"result":"denokafka-bench/1", broken'), null);
});

Deno.test("runPeer reports the result, CPU and peak RSS of a finished process", async () => {
  const out = await runPeer("sh", [
    "-c",
    'echo noise; echo \'{"result":"denokafka-bench/1","records":3,"bytes":30,"elapsedMs":1}\'',
  ], { timeoutMs: 10_000 });
  assert.equal(out.status, "ok");
  assert.equal(out.result?.records, 3);
  assert.ok(out.cpuS !== undefined && out.cpuS >= 0);
  assert.ok(out.rssMiB !== undefined && out.rssMiB > 0);
});

Deno.test("runPeer passes an unavailable reason through", async () => {
  const out = await runPeer("sh", [
    "-c",
    'echo \'{"result":"denokafka-bench/1","unavailable":"no codec"}\'; exit 3',
  ], { timeoutMs: 10_000 });
  assert.equal(out.status, "unavailable");
  assert.equal(out.reason, "no codec");
});

Deno.test("runPeer reports a failing process with its exit code and stderr", async () => {
  const out = await runPeer("sh", ["-c", "echo boom >&2; exit 7"], {
    timeoutMs: 10_000,
  });
  assert.equal(out.status, "failed");
  assert.match(out.reason ?? "", /exit code 7/);
  assert.match(out.reason ?? "", /boom/);
});

Deno.test("runPeer kills a hung process together with its children", async () => {
  const marker = `bench-hang-${crypto.randomUUID()}`;
  const t0 = performance.now();
  const out = await runPeer("sh", [
    "-c",
    `sleep 30 & echo $! > /tmp/${marker}; wait`,
  ], { timeoutMs: 500 });
  assert.equal(out.status, "timeout");
  assert.ok(performance.now() - t0 < 10_000);
  const childPid = Number((await Deno.readTextFile(`/tmp/${marker}`)).trim());
  await Deno.remove(`/tmp/${marker}`);
  // The background child was in the same process group: it must be gone
  // (or a zombie waiting for init to reap it).
  let state = "gone";
  try {
    const stat = await Deno.readTextFile(`/proc/${childPid}/stat`);
    state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    // no such process
  }
  assert.ok(state === "gone" || state === "Z", `child state ${state}`);
});

Deno.test("median, spread and summarize", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
  assert.equal(median([NaN, 5]), 5);
  assert.equal(spread([10]), null);
  assert.equal(spread([9, 10, 11]), 0.2);
  assert.deepEqual(summarize([2, NaN, 4]), {
    median: 3,
    min: 2,
    max: 4,
    spread: 2 / 3,
    n: 2,
  });
});

Deno.test("payload lines have exactly the record size and are deterministic", () => {
  for (const size of [100, 1024]) {
    const text = payloadText(size, 50);
    const lines = text.split("\n").filter((l) => l.length > 0);
    assert.equal(lines.length, 50);
    for (const l of lines) {
      assert.equal(new TextEncoder().encode(l).length, size);
    }
    assert.equal(new Set(lines).size, 50);
    assert.equal(payloadText(size, 50), text);
  }
  assert.throws(() => payloadText(4), RangeError);
});
