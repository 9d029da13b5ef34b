// The managed consumer's offset calls are bounded and abortable like the
// other consumers' (`{ timeoutMs, signal }`): an aborted call rejects with
// the signal's reason, a live one resolves, and the multi-topic form does
// the same.
import assert from "node:assert/strict";
import type { ManagedBalancedConsumer } from "../../mod.ts";
import { connect, createTopic, produceMany, uniqueName } from "./_helpers.ts";

Deno.test("ManagedBalancedConsumer: commitOffsets / fetchOffsets / resetOffsets take { timeoutMs, signal }; an aborted call rejects with the signal's reason", async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "mdl", { partitions: 2 });
  await produceMany(topic, 10, "v");
  const c: ManagedBalancedConsumer = topic.getBalancedConsumer({
    consumerGroup: uniqueName("gdl"),
    managed: true,
    consumerTimeoutMs: 2000,
    heartbeatIntervalMs: 300,
    fetchWaitMaxMs: 50,
  });
  try {
    await c.start();
    let n = 0;
    for await (const _ of c) if (++n === 10) break;
    assert.equal(n, 10);
    const reason = new Error("the caller gave up");
    const aborted = AbortSignal.abort(reason);
    await assert.rejects(
      c.commitOffsets(undefined, { signal: aborted }),
      (e) => e === reason,
    );
    await assert.rejects(
      c.fetchOffsets({ signal: aborted }),
      (e) => e === reason,
    );
    await assert.rejects(
      c.resetOffsets(undefined, { signal: aborted }),
      (e) => e === reason,
    );
    // Live calls within a bound go through.
    await c.commitOffsets(undefined, { timeoutMs: 30_000 });
    const fetched = await c.fetchOffsets({ timeoutMs: 30_000 });
    const total = [...fetched.values()].reduce(
      (a, f) => a + Math.max(0, f.offset),
      0,
    );
    assert.equal(total, 10, "the committed offsets cover the 10 records");
  } finally {
    await c.stop();
    await client.deleteTopics([topic.name]).catch(() => {});
  }
});
