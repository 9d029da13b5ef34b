// Mixed ZooKeeper groups: real pykafka 2.8.0 BalancedConsumers (PyPI, in
// the virtual environment .ci/run makes; tests/cluster/interop.ts) and
// ours in one group. No partition held twice, none left out, whichever
// joins first; offsets committed by pykafka resume in ours and back.
import assert from "node:assert/strict";
import {
  type BalancedConsumer,
  RoundRobinProtocol,
  type Topic,
  type ZookeeperClient,
} from "../../mod.ts";
import { pykafka } from "../cluster/interop.ts";
import { waitFor } from "../wait_for.ts";
import {
  connect,
  createTopic,
  dec,
  produceMany,
  uniqueName,
} from "./_helpers.ts";
import { member, ownerNodes, zookeeper } from "./_balanced.ts";
import { PykafkaMember } from "./_pykafka.ts";

/**
 * Waits until ours and pykafka's members hold every partition exactly once,
 * evenly, and the owner nodes in ZooKeeper name the holders.
 */
async function waitMixedBalanced(
  ours: BalancedConsumer[],
  theirs: PykafkaMember[],
  topic: Topic,
  group: string,
  zk: ZookeeperClient,
): Promise<Map<string, number[]>> {
  const count = topic.partitions.size;
  return (await waitFor(async () => {
    const held = new Map<string, number[]>();
    for (const m of ours) {
      held.set(m.consumerId, [...m.partitions.keys()].sort((a, b) => a - b));
    }
    for (const p of theirs) held.set(p.id, (await p.state()).partitions);
    const all = [...held.values()].flat();
    if (all.length !== count || new Set(all).size !== count) return undefined;
    const sizes = [...held.values()].map((s) => s.length);
    if (Math.max(...sizes) - Math.min(...sizes) > 1) return undefined;
    const nodes = await ownerNodes(zk, group, topic.name);
    if (nodes.length !== count) return undefined;
    for (const n of nodes) {
      const pid = Number(n.name.split("-")[1]);
      if (!held.get(n.owner)?.includes(pid)) return undefined;
    }
    return held;
  }, {
    timeoutMs: 60_000,
    intervalMs: 200,
    what:
      `a mixed group of ${ours.length} + ${theirs.length} on ${count} partitions`,
  }))!;
}

pykafka.test("pykafka interop: our members first, then pykafka 2.8 joins (range): disjoint, complete, and again when one of ours leaves", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "mixed-ours-first", {
    partitions: 5,
  });
  await produceMany(topic, 500);
  const group = uniqueName("mixed1");
  const ours = [member(topic, group), member(topic, group)];
  const py = new PykafkaMember(topic.name, group);
  try {
    await Promise.all(ours.map((m) => m.start()));
    await py.started();
    let held = await waitMixedBalanced(ours, [py], topic, group, zk);
    assert.equal(held.size, 3);
    // Every member consumes from its own partitions only.
    const msgs = await py.consume(20, 2000);
    assert.ok(msgs.length > 0, "pykafka got no message");
    const pyParts = held.get(py.id)!;
    for (const [p] of msgs) assert.ok(pyParts.includes(p));
    for (const m of ours) {
      const msg = await m.consume({ timeoutMs: 5000 });
      assert.ok(msg && m.partitions.has(msg.partitionId));
    }
    // One of ours leaves: pykafka and the other take over everything.
    await ours[0].stop();
    held = await waitMixedBalanced([ours[1]], [py], topic, group, zk);
    assert.equal(held.size, 2);
  } finally {
    await py.stop();
    await Promise.all(ours.map((m) => m.stop()));
  }
});

pykafka.test("pykafka interop: pykafka 2.8 members first, then ours joins (roundrobin): disjoint, complete, and again when pykafka leaves", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "mixed-py-first", { partitions: 4 });
  await produceMany(topic, 400);
  const group = uniqueName("mixed2");
  const pys = [
    new PykafkaMember(topic.name, group, { protocol: "roundrobin" }),
    new PykafkaMember(topic.name, group, { protocol: "roundrobin" }),
  ];
  const rr = member(topic, group, {
    membershipProtocol: RoundRobinProtocol,
    autoStart: false,
  });
  try {
    await Promise.all(pys.map((p) => p.started()));
    await waitMixedBalanced([], pys, topic, group, zk);
    await rr.start();
    let held = await waitMixedBalanced([rr], pys, topic, group, zk);
    assert.equal(held.size, 3);
    const msg = await rr.consume({ timeoutMs: 5000 });
    assert.ok(msg && rr.partitions.has(msg.partitionId));
    // A pykafka member leaves: ours and the other split the partitions.
    await pys[0].stop();
    held = await waitMixedBalanced([rr], [pys[1]], topic, group, zk);
    assert.deepEqual(held.get(rr.consumerId)!.length, 2);
  } finally {
    await Promise.all(pys.map((p) => p.stop()));
    await rr.stop();
  }
});

pykafka.test("pykafka interop: offsets committed by pykafka 2.8 resume in ours, and ours in pykafka", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "mixed-offsets", { partitions: 3 });
  await produceMany(topic, 300);
  const group = uniqueName("mixed3");
  const seen = new Map<string, number>();
  const note = (p: number, o: number) => {
    const k = `${p}/${o}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  };
  // pykafka consumes about half and commits.
  const py = new PykafkaMember(topic.name, group);
  await py.started();
  await waitFor(async () => (await py.state()).partitions.length === 3, {
    what: "pykafka holding every partition",
  });
  const first = await py.consume(150, 3000);
  assert.equal(first.length, 150);
  for (const [p, o] of first) note(p, o);
  await py.commit();
  const pyHeld = (await py.state()).held;
  await py.stop();

  // Ours resumes right after pykafka's commits: the held offsets match.
  const ours = member(topic, group);
  try {
    await ours.start();
    assert.deepEqual(ours.heldOffsets, pyHeld);
    for (;;) {
      const m = await ours.consume({ timeoutMs: 2000 });
      if (!m) break;
      note(m.partitionId, m.offset);
      assert.match(dec.decode(m.value!), /^msg \d+$/);
    }
    assert.equal(seen.size, 300);
    assert.deepEqual([...seen.values()].filter((n) => n > 1), []);
    // More records; ours consumes some of them, commits and leaves.
    await produceMany(topic, 90, "more ");
    let n = 0;
    while (n < 45) {
      const m = await ours.consume({ timeoutMs: 10_000 });
      assert.ok(m);
      note(m.partitionId, m.offset);
      n++;
    }
    await ours.commitOffsets();
  } finally {
    await ours.stop();
  }
  const oursHeld = ours.heldOffsets;
  assert.equal(oursHeld.size, 0); // a member that left holds nothing

  // pykafka resumes after ours' commits: the rest, nothing twice.
  const back = new PykafkaMember(topic.name, group);
  try {
    await back.started();
    await waitFor(async () => (await back.state()).partitions.length === 3, {
      what: "pykafka holding every partition again",
    });
    const rest = await back.consume(1000, 3000);
    for (const [p, o] of rest) note(p, o);
    assert.equal(rest.length, 45);
    assert.ok(rest.every(([, , v]) => v?.startsWith("more ")));
    assert.equal(seen.size, 390);
    assert.deepEqual([...seen.values()].filter((x) => x > 1), []);
  } finally {
    await back.stop();
  }
});
