// The client side of fetch sessions (KIP-227) without a broker: what each
// request lists and forgets, and how answers and failures move the session.
import assert from "node:assert/strict";
import { Cluster, ClusterTopic } from "../../src/cluster/mod.ts";
import { Cursor } from "../../src/consumer/_cursor.ts";
import { FetchSession } from "../../src/consumer/_fetch_session.ts";

function cursors(name: string, n: number): {
  cluster: Cluster;
  cs: Cursor[];
} {
  const cluster = new Cluster({ hosts: "127.0.0.1:1" });
  const topic = new ClusterTopic(cluster, {
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
  const budget = { bytes: 0 };
  const cs = [...topic.partitions.values()].map((p) => {
    const c = new Cursor(p, 0, 1024, budget);
    c.setNext(10 * p.id);
    return c;
  });
  return { cluster, cs };
}

Deno.test("FetchSession: full request, then only changed partitions, forgotten ones named", async () => {
  const { cluster, cs } = cursors("t", 4);
  const s = new FetchSession();
  let plan = s.plan(cs, false);
  assert.equal(plan.full, true);
  assert.equal(plan.sessionId, 0);
  assert.equal(plan.sessionEpoch, 0);
  assert.equal(plan.listed.length, 4);
  assert.ok(s.completed(plan, 77, 0));
  assert.equal(s.id, 77);
  assert.equal(s.epoch, 1);
  // Nothing changed: nothing listed, nothing forgotten.
  plan = s.plan(cs, false);
  assert.equal(plan.full, false);
  assert.deepEqual([plan.sessionId, plan.sessionEpoch], [77, 1]);
  assert.deepEqual(plan.listed, []);
  assert.deepEqual(plan.forgotten, []);
  assert.ok(s.completed(plan, 77, 0));
  // One moved, one grew its fetch size, one left (in flight elsewhere).
  cs[1].nextOffset += 5;
  cs[2].maxBytes = 4096;
  plan = s.plan([cs[0], cs[1], cs[2]], false);
  assert.deepEqual(plan.listed, [cs[1], cs[2]]);
  assert.deepEqual(plan.forgotten, [{ topic: "t", partitions: [3] }]);
  assert.equal(plan.sessionEpoch, 2);
  assert.ok(s.completed(plan, 77, 0));
  // It comes back: listed again.
  plan = s.plan(cs, false);
  assert.deepEqual(plan.listed, [cs[3]]);
  // No answer: the next request is a full one closing session 77.
  s.failed();
  plan = s.plan(cs, false);
  assert.equal(plan.full, true);
  assert.deepEqual([plan.sessionId, plan.sessionEpoch], [77, 0]);
  assert.ok(s.completed(plan, 78, 0));
  assert.equal(s.id, 78);
  // The broker lost the session: nothing applies, a new one is made.
  plan = s.plan(cs, false);
  assert.equal(s.completed(plan, 0, 70), false);
  assert.equal(s.resets, 1);
  plan = s.plan(cs, false);
  assert.deepEqual([plan.full, plan.sessionId, plan.sessionEpoch], [
    true,
    0,
    0,
  ]);
  // A broker that makes no session (id 0): every request stays full.
  assert.ok(s.completed(plan, 0, 0));
  assert.equal(s.plan(cs, false).full, true);
  assert.deepEqual(
    [s.fullRequests, s.incrementalRequests],
    [3, 3],
  );
  // Switching to topic ids starts over.
  assert.ok(s.completed(s.plan(cs, false), 90, 0));
  assert.equal(s.plan(cs, true).full, true);
  // Closing.
  assert.deepEqual(s.closing(), { sessionId: 90, sessionEpoch: -1 });
  assert.equal(s.closing(), undefined);
  await cluster.close();
});
