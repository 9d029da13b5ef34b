import assert from "node:assert/strict";
import { backoffDelay, sleep } from "./backoff.ts";

Deno.test("backoff grows exponentially, is capped, and jitters within bounds", () => {
  const none = { initialMs: 100, maxMs: 5000, jitter: 0 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, none)),
    [100, 200, 400, 800, 1600, 3200, 5000, 5000],
  );
  const j = { initialMs: 1000, maxMs: 60_000, jitter: 0.5 };
  assert.equal(backoffDelay(0, j, () => 0), 500);
  assert.equal(backoffDelay(0, j, () => 1), 1500);
  assert.equal(backoffDelay(10, { ...j, maxMs: 2000 }, () => 1), 2000);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(2, { initialMs: 100, jitter: 0.2 });
    assert.ok(d >= 320 && d <= 480, String(d));
  }
});

Deno.test("sleep resolves, and rejects with the reason on abort without leaking its timer", async () => {
  const t0 = performance.now();
  await sleep(20);
  assert.ok(performance.now() - t0 >= 15);
  const c = new AbortController();
  const p = sleep(10_000, c.signal);
  c.abort(new Error("stop"));
  await assert.rejects(p, /stop/);
  await assert.rejects(
    sleep(1, AbortSignal.abort(new Error("early"))),
    /early/,
  );
});
