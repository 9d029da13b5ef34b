// The fetch engine's assignment bookkeeping without a broker: bad
// assignments refused whole, revoke fences queued messages at once, pause
// holds them back, a partition assigned again gets a new cursor.
import assert from "node:assert/strict";
import { KafkaError } from "../../src/errors/mod.ts";
import { Cluster, ClusterTopic } from "../../src/cluster/mod.ts";
import { CompressionType, Message } from "../../src/records/mod.ts";
import { FetchEngine } from "../../src/consumer/fetch_engine.ts";
import { resolveConsumerOptions } from "../../src/consumer/options.ts";
import type { Cursor } from "../../src/consumer/_cursor.ts";

function fakeTopic(cluster: Cluster, name: string, n: number): ClusterTopic {
  // Nothing listens on port 1; nothing here does I/O.
  return new ClusterTopic(cluster, {
    errorCode: 0,
    name,
    partitions: Array.from({ length: n }, (_, i) => ({
      errorCode: 0,
      partitionIndex: i,
      leaderId: -1,
      replicaNodes: [],
      isrNodes: [],
    })),
  });
}

function queue(engine: FetchEngine, c: Cursor, offsets: number[]): void {
  c.push(
    offsets.map((offset) =>
      new Message({
        value: null,
        partitionKey: null,
        offset,
        partitionId: c.id,
        topic: c.topic.name,
        timestamp: -1,
        compressionType: CompressionType.NONE,
        protocolVersion: 2,
      })
    ),
    offsets.length,
  );
  engine.ring.add(c);
}

Deno.test("FetchEngine (no broker): assign validates everything first; revoke fences, pause holds back, reassign makes a new cursor", async () => {
  const cluster = new Cluster({ hosts: "127.0.0.1:1" });
  const a = fakeTopic(cluster, "a", 3);
  const b = fakeTopic(cluster, "b", 2);
  let data = 0;
  const engine = new FetchEngine(cluster, resolveConsumerOptions(), {
    onData: () => data++,
  });
  const [a0, a1, b1] = engine.assign([
    { topic: a, partition: 0, position: 5 },
    { topic: a, partition: 1 },
    { topic: b, partition: 1, position: 0 },
  ]);
  assert.deepEqual(engine.cursors.map(String), ["a/0", "a/1", "b/1"]);
  assert.equal(engine.cursor("a", 0), a0);
  assert.equal(a0.nextOffset, 5);
  assert.equal(a1.positioned, false);
  // Refused whole: nothing of a bad batch is assigned.
  assert.throws(
    () =>
      engine.assign([{ topic: a, partition: 2 }, { topic: a, partition: 0 }]),
    (e: unknown) =>
      e instanceof KafkaError && /already assigned/.test(e.message),
  );
  assert.throws(() => engine.assign([{ topic: a, partition: 9 }]), RangeError);
  assert.throws(
    () => engine.assign([{ topic: a, partition: 2, position: 1.5 }]),
    TypeError,
  );
  assert.throws(
    () => engine.assign([{ topic: a, partition: 2, position: -1 }]),
    RangeError,
  );
  assert.equal(engine.cursor("a", 2), undefined);
  // Round-robin over what is queued; a paused cursor is skipped.
  queue(engine, a0, [5, 6]);
  queue(engine, b1, [0, 1]);
  engine.pause([a0]);
  assert.deepEqual([engine.take()?.offset, engine.take()?.offset], [0, 1]);
  assert.equal(engine.take(), undefined);
  engine.resume([a0]);
  assert.equal(data, 1);
  assert.equal(engine.take()?.offset, 5);
  // Revoked: its queue is gone at once, the budget freed, the position kept.
  queue(engine, b1, [2, 3]);
  const before = engine.budget.bytes;
  let released: readonly Cursor[] = [];
  const revoked = await engine.revoke(
    [{ topic: "a", partition: 0 }, { topic: "a", partition: 2 }],
    { beforeRelease: (cs) => void (released = cs) },
  );
  assert.deepEqual(revoked, [a0]);
  assert.deepEqual(released, [a0]);
  assert.equal(a0.live, false);
  assert.equal(a0.lastOffsetConsumed, 5);
  assert.equal(engine.budget.bytes, before - 2); // its chunk of 5 and 6
  assert.deepEqual([engine.take()?.offset, engine.take()?.offset], [2, 3]);
  assert.equal(engine.take(), undefined);
  // Assigned again: a new cursor; the old one stays fenced.
  const [again] = engine.assign([{ topic: a, partition: 0, position: 6 }]);
  assert.notEqual(again, a0);
  engine.seek(a0, 100);
  assert.equal(a0.nextOffset, 5, "a revoked cursor is never moved again");
  assert.deepEqual(engine.cursors.map(String), ["a/1", "b/1", "a/0"]);
  assert.equal(engine.stats.connectionsOpened, 0);
  await engine.stop();
  await cluster.close();
});
