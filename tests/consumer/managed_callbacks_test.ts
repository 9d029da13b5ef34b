// The managed consumer's hooks and member identity against the real
// cluster: pykafka's post-rebalance callback (its offsets take effect, a
// throwing one reaches consume()), rebalance listeners, the client-level
// multi-topic form and its shapes, static membership (a restart within the
// session timeout keeps the partitions, no rebalance of the others), a
// fenced static member (FENCED_INSTANCE_ID: stops with a clear error), and
// a member the coordinator forgot (UNKNOWN_MEMBER_ID: loses its
// partitions, rejoins with a new id, consumes on).
import assert from "node:assert/strict";
import {
  FencedInstanceIdError,
  type ManagedBalancedConsumer,
  type ManagedBalancedConsumerOptions,
  OffsetType,
  RoundRobinProtocol,
} from "../../mod.ts";
import { LeaveGroup } from "../../src/protocol/mod.ts";
import {
  connect,
  createTopic,
  produceMany,
  rec,
  uniqueName,
} from "./_helpers.ts";
import { Ownership, partitionsOf, settled } from "./_group.ts";
import type { ClusterName } from "../cluster/mod.ts";
import { produceTo } from "../client/_helpers.ts";
import { waitFor } from "../wait_for.ts";

function options(
  group: string,
  protocol: "classic" | "consumer" = "classic",
  extra: Partial<ManagedBalancedConsumerOptions> = {},
): ManagedBalancedConsumerOptions & { managed: true } {
  return {
    consumerGroup: group,
    managed: true,
    groupProtocol: protocol,
    heartbeatIntervalMs: 300,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 20_000,
    rebalanceBackoffMs: 200,
    fetchWaitMaxMs: 50,
    ...extra,
  };
}

Deno.test("ManagedBalancedConsumer: the post-rebalance callback gets pykafka's offset maps and its returned offsets take effect", async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "mcb", { partitions: 3 });
  await produceMany(topic, 30, "v");
  const calls: [Map<number, number>, Map<number, number>][] = [];
  const c: ManagedBalancedConsumer = topic.getBalancedConsumer(
    options(uniqueName("gcb"), "classic", {
      consumerTimeoutMs: 3000,
      postRebalanceCallback: (consumer, old, now): Record<number, number> => {
        assert.equal(consumer, c);
        calls.push([old, now]);
        // Resume every new partition after offset 4.
        return Object.fromEntries([...now.keys()].map((p) => [p, 4]));
      },
    }),
  );
  try {
    await c.start();
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0][0], new Map());
    assert.deepEqual(calls[0][1], new Map([[0, -2], [1, -2], [2, -2]]));
    const first = new Map<number, number>();
    let n = 0;
    for await (const m of c) {
      if (!first.has(m.partitionId)) first.set(m.partitionId, m.offset);
      n++;
    }
    assert.deepEqual([...first].sort(), [[0, 5], [1, 5], [2, 5]]);
    assert.equal(n, 15);
    assert.deepEqual(c.heldOffsets, new Map([[0, 9], [1, 9], [2, 9]]));
  } finally {
    await c.stop();
    await client.deleteTopics([topic.name]).catch(() => {});
  }
});

Deno.test("ManagedBalancedConsumer: a throwing post-rebalance callback and a throwing listener reach consume()", async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "mthrow", { partitions: 2 });
  const c = topic.getBalancedConsumer(options(uniqueName("gthrow"), "classic", {
    postRebalanceCallback: () => {
      throw new Error("boom from the callback");
    },
    rebalanceListener: {
      onPartitionsAssigned: () => {
        throw new Error("boom from the listener");
      },
    },
  }));
  try {
    await c.start();
    await assert.rejects(
      c.consume({ timeoutMs: 5000 }),
      /rebalance listener onPartitionsAssigned\(.*\/0, .*\/1\) threw: (Error: )?boom from the listener/,
    );
    await assert.rejects(
      c.consume({ timeoutMs: 5000 }),
      /boom from the callback/,
    );
    // Each once; the consumer goes on.
    assert.equal(await c.consume({ timeoutMs: 200 }), null);
    assert.equal(c.running, true);
  } finally {
    await c.stop();
    await client.deleteTopics([topic.name]).catch(() => {});
  }
});

Deno.test("MultiTopicManagedBalancedConsumer: client.getBalancedConsumer over two topics, offsets keyed by topic", async () => {
  await using client = await connect("kafka39");
  const t1 = await createTopic(client, "mt1", { partitions: 2 });
  const t2 = await createTopic(client, "mt2", { partitions: 3 });
  await produceMany(t1, 20, "one");
  await produceMany(t2, 30, "two");
  const group = uniqueName("gmt");
  const calls: Map<string, Map<number, number>>[] = [];
  const make = (autoStart: boolean) =>
    client.getBalancedConsumer({
      ...options(group, "classic", {
        consumerTimeoutMs: 2000,
        autoStart,
        // pykafka's object names Java's roundrobin assignor.
        membershipProtocol: RoundRobinProtocol,
      }),
      topics: [t1.name, t2.name],
      postRebalanceCallback: (_c, _old, now) => {
        calls.push(now);
        return new Map([[t2.name, new Map([[0, OffsetType.EARLIEST]])]]);
      },
    });
  const a = make(true);
  try {
    await a.start();
    assert.deepEqual(a.topics, [t1.name, t2.name]);
    assert.equal(a.protocolName, "roundrobin");
    assert.deepEqual(
      a.assignment.map((p) => `${p.topic}/${p.partition}`),
      [...partitionsOf(t1.name, 2), ...partitionsOf(t2.name, 3)],
    );
    assert.deepEqual([...calls[0].keys()], [t1.name, t2.name]);
    const seen = new Map<string, number>();
    for await (const m of a) {
      seen.set(m.topic, (seen.get(m.topic) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(seen), {
      [t1.name]: 20,
      [t2.name]: 30,
    });
    const held = a.heldOffsets;
    assert.deepEqual([...held.get(t1.name)!.values()], [9, 9]);
    assert.deepEqual([...held.get(t2.name)!.values()], [9, 9, 9]);
    await a.commitOffsets([[t2.name, 1, 3]]);
    const committed = await a.fetchOffsets();
    assert.equal(committed.get(t2.name)!.get(1)!.offset, 3);
    assert.equal(a.partitions.get(t1.name)!.size, 2);
    await assert.rejects(
      a.commitOffsets([["nope", 0, 1]]),
      /Unknown partition/,
    );
    // A second member shares the five partitions with roundrobin: t1/0,
    // t2/0, t2/2 and t1/1, t2/1.
    const b = make(false);
    try {
      await b.start();
      const got = await settled(
        [a, b],
        [...partitionsOf(t1.name, 2), ...partitionsOf(t2.name, 3)],
        0,
      );
      assert.deepEqual(got.map((x) => x.length).sort(), [2, 3]);
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
    await client.deleteTopics([t1.name, t2.name]).catch(() => {});
  }
});

for (
  const [protocol, clusterName] of [
    ["classic", "kafka39"],
    ["consumer", "kafka4"],
  ] as ["classic" | "consumer", ClusterName][]
) {
  Deno.test(`ManagedBalancedConsumer (${protocol}): a static member restarted within the session timeout keeps its partitions; the others do not rebalance`, async () => {
    await using client = await connect(clusterName);
    const topic = await createTopic(client, "mstatic", { partitions: 4 });
    const group = uniqueName("gstatic");
    const own = new Ownership();
    const make = (instance: string) =>
      topic.getBalancedConsumer(options(group, protocol, {
        groupInstanceId: instance,
        sessionTimeoutMs: 30_000,
        rebalanceListener: own.listener(instance),
      }));
    const a = make("static-a");
    const b = make("static-b");
    let a2: typeof a | undefined;
    try {
      await Promise.all([a.start(), b.start()]);
      const [heldA] = await settled([a, b], partitionsOf(topic.name, 4), 0);
      const bGeneration = b.generationId;
      const bRebalances = b.membershipStats!.rebalances;
      const bEvents = own.events.filter((e) => e.startsWith("static-b")).length;
      await a.stop(); // a static member does not leave the group
      a2 = make("static-a");
      await a2.start();
      await settled([a2, b], partitionsOf(topic.name, 4), 0);
      assert.deepEqual(
        a2.assignment.map((p) => `${p.topic}/${p.partition}`),
        heldA,
      );
      // b goes on heartbeating without a rebalance.
      const beats = b.membershipStats!.heartbeats;
      await waitFor(() => b.membershipStats!.heartbeats >= beats + 3, {
        timeoutMs: 30_000,
        what: "three more heartbeats of b",
      });
      assert.equal(b.generationId, bGeneration);
      assert.equal(b.membershipStats!.rebalances, bRebalances);
      assert.equal(
        own.events.filter((e) => e.startsWith("static-b")).length,
        bEvents,
      );
      assert.equal(a2.groupInstanceId, "static-a");
    } finally {
      await Promise.all([a.stop(), b.stop(), a2?.stop()]);
      // Static members do not leave: remove them so the group can go.
      await client.deleteTopics([topic.name]).catch(() => {});
    }
  });
}

Deno.test("ManagedBalancedConsumer: a second consumer with the same groupInstanceId fences the first (FENCED_INSTANCE_ID: it stops with that error)", async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "mfence", { partitions: 2 });
  const group = uniqueName("gfence");
  const first = topic.getBalancedConsumer(options(group, "classic", {
    groupInstanceId: "same-instance",
  }));
  const second = topic.getBalancedConsumer(options(group, "classic", {
    groupInstanceId: "same-instance",
    autoStart: false,
  }));
  try {
    await first.start();
    await second.start();
    const err = await first.consume({ timeoutMs: 20_000 }).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof FencedInstanceIdError, String(err));
    assert.equal(err.code, 82);
    assert.match(
      err.message,
      /groupInstanceId "same-instance".*another consumer joined with the same groupInstanceId/,
    );
    await waitFor(() => !first.running, {
      what: "the fenced consumer to stop",
    });
    await assert.rejects(first.consume(), FencedInstanceIdError);
    assert.equal(second.assignment.length, 2);
  } finally {
    await Promise.all([first.stop(), second.stop()]);
    await client.deleteTopics([topic.name]).catch(() => {});
  }
});

Deno.test("ManagedBalancedConsumer: a member the coordinator forgot (UNKNOWN_MEMBER_ID) loses its partitions, rejoins with a new id and consumes on", async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "munknown", { partitions: 2 });
  const group = uniqueName("gunknown");
  const lost: string[] = [];
  const c = topic.getBalancedConsumer(options(group, "classic", {
    rebalanceListener: {
      onPartitionsLost: (ps) => {
        lost.push(...ps.map((p) => `${p.topic}/${p.partition}`));
      },
    },
  }));
  try {
    await c.start();
    const before = c.consumerId;
    assert.notEqual(before, "");
    // Remove it behind its back, as an administrator would.
    const coordinator = await client.cluster.getGroupCoordinator(group);
    const res = await coordinator.send(LeaveGroup, {
      groupId: group,
      members: [{ memberId: before, groupInstanceId: null }],
    });
    assert.equal(res.errorCode, 0);
    await waitFor(() => c.consumerId !== before && c.assignment.length === 2, {
      timeoutMs: 30_000,
      what: "a new member id with both partitions",
    });
    assert.deepEqual(lost.sort(), partitionsOf(topic.name, 2));
    assert.equal(c.membershipStats!.rejoins.UnknownMemberId, 1);
    await produceTo(topic, 1, [rec("after")]);
    const m = await c.consume({ timeoutMs: 10_000 });
    assert.equal(new TextDecoder().decode(m!.value!), "after");
  } finally {
    await c.stop();
    await client.deleteTopics([topic.name]).catch(() => {});
  }
});
