// BalancedConsumer (ZooKeeper-coordinated) against the real Kafka 3.9
// brokers and their ZooKeeper (chroot /kafka39): pykafka's
// test_balancedconsumer.py adapted (4 members on 3 partitions, external
// ZooKeeper client, a protocol that assigns nothing, the post-rebalance
// callback), pykafka's ZooKeeper layout, commit before release, options.
import assert from "node:assert/strict";
import {
  BalancedConsumer,
  ConsumerStoppedException,
  type GroupMembershipProtocol,
  KafkaClient,
  ManagedBalancedConsumer,
  OffsetType,
  RoundRobinProtocol,
  ZookeeperClient,
} from "../../mod.ts";
import { sortPartitionsPykafka } from "../../src/consumer/membership_protocol.ts";
import { cluster } from "../cluster/mod.ts";
import { waitFor } from "../wait_for.ts";
import {
  connect,
  createTopic,
  dec,
  produceMany,
  uniqueName,
} from "./_helpers.ts";
import {
  member,
  memberIds,
  ownerNodes,
  waitBalanced,
  ZK,
  zookeeper,
} from "./_balanced.ts";

Deno.test("BalancedConsumer: 4 members on 3 partitions: one idle; stop one, three cover all; add one, one idle again", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "bal4", { partitions: 3 });
  await produceMany(topic, 1000);
  const group = uniqueName("g4");
  const members = [0, 1, 2, 3].map(() => member(topic, group));
  try {
    await Promise.all(members.map((m) => m.start()));
    let sets = await waitBalanced(members, 3, zk);
    assert.equal(sets.filter((s) => s.length === 0).length, 1, `${sets}`);
    for (const m of members) {
      const msg = await m.consume({ timeoutMs: 2000 });
      if (m.partitions.size === 0) assert.equal(msg, null);
      else {
        assert.ok(msg, `${m} got no message`);
        assert.ok(m.partitions.has(msg.partitionId));
      }
    }

    // Stop a member that holds a partition: the three left cover all.
    const gone = members.find((m) => m.partitions.size > 0)!;
    await gone.stop();
    assert.equal(gone.partitions.size, 0);
    const rest = members.filter((m) => m !== gone);
    sets = await waitBalanced(rest, 3, zk);
    assert.deepEqual(sets.map((s) => s.length), [1, 1, 1]);
    for (const m of rest) {
      assert.ok(await m.consume({ timeoutMs: 5000 }), `${m} got no message`);
    }

    // One more: one idle again.
    const added = member(topic, group);
    rest.push(added);
    await added.start();
    sets = await waitBalanced(rest, 3, zk);
    assert.equal(sets.filter((s) => s.length === 0).length, 1, `${sets}`);
    assert.deepEqual(
      (await memberIds(zk, group)).sort(),
      rest.map((m) => m.consumerId).sort(),
    );
    for (const m of rest) await m.stop();
    assert.deepEqual(await memberIds(zk, group), []);
    assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
  } finally {
    await Promise.all(members.map((m) => m.stop().catch(() => {})));
  }
});

Deno.test("BalancedConsumer: pykafka 2.8's ZooKeeper layout, under the chroot", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  await using root = await ZookeeperClient.connect(cluster.zookeeperRoot);
  const topic = await createTopic(client, "layout", { partitions: 3 });
  const group = uniqueName("layout");
  await using a = member(topic, group);
  await using b = member(topic, group);
  await Promise.all([a.start(), b.start()]);
  await waitBalanced([a, b], 3, zk);
  // Ids: ephemeral, data = the topic name; the id is "<host>:<uuid>".
  for (const m of [a, b]) {
    assert.match(m.consumerId, /^[^:]+:[0-9a-f-]{36}$/);
    const n = await zk.get(`/consumers/${group}/ids/${m.consumerId}`);
    assert.equal(dec.decode(n.data!), topic.name);
    assert.ok(n.stat.ephemeralOwner);
  }
  // Owners: /consumers/<group>/owners/b'<topic>' (Python 3's str() of the
  // topic's bytes) holds ephemeral <leader>-<partition> nodes with the
  // owner's id.
  const nodes = await ownerNodes(zk, group, topic.name);
  assert.deepEqual(
    nodes.map((n) => n.name).sort(),
    [...topic.partitions.values()].map((p) => `${p.leaderId}-${p.id}`).sort(),
  );
  for (const n of nodes) {
    assert.ok(n.ephemeral);
    const pid = Number(n.name.split("-")[1]);
    assert.equal(
      n.owner,
      [a, b].find((m) => m.partitions.has(pid))!.consumerId,
    );
  }
  // The range split in pykafka's order: members by id, partitions by
  // "b'<topic>'-<leader>-<id>".
  const [first, second] = [a, b].sort((x, y) =>
    x.consumerId < y.consumerId ? -1 : 1
  );
  const order = sortPartitionsPykafka([...topic.partitions.values()]).map((p) =>
    p.id
  );
  assert.deepEqual(
    [...first.partitions.keys()].sort(),
    order.slice(0, 2).sort(),
  );
  assert.deepEqual([...second.partitions.keys()], [order[2]]);
  // Everything is under the chroot.
  assert.ok(
    await root.exists(`/kafka39/consumers/${group}/owners/b'${topic.name}'`),
  );
  assert.equal(await root.exists(`/consumers/${group}`), null);
});

Deno.test("BalancedConsumer: two members consume every record exactly once (commit before release)", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "once", { partitions: 3 });
  const COUNT = 3000;
  await produceMany(topic, COUNT);
  const group = uniqueName("once");
  const seen = new Map<string, number>();
  const a = member(topic, group);
  const b = member(topic, group);
  try {
    const run = async (m: BalancedConsumer) => {
      for (;;) {
        const msg = await m.consume({ timeoutMs: 3000 });
        if (!msg) {
          if (seen.size >= COUNT) return;
          continue;
        }
        const k = `${msg.partitionId}/${msg.offset}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    };
    // b joins while a is consuming: a releases partitions to b.
    const ra = run(a);
    await waitFor(() => seen.size >= 200, { what: "a consuming" });
    await b.start();
    await waitBalanced([a, b], 3, zk);
    await Promise.all([ra, run(b)]);
    assert.equal(seen.size, COUNT);
    const dups = [...seen].filter(([, n]) => n > 1);
    assert.deepEqual(dups, [], "a released partition was consumed twice");
  } finally {
    await a.stop();
    await b.stop();
  }
});

Deno.test("BalancedConsumer: a protocol that assigns nothing leaves a running idle consumer that does not spin", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "nothing", { partitions: 2 });
  await produceMany(topic, 10);
  let calls = 0;
  const nothing: GroupMembershipProtocol = {
    protocolType: "consumer",
    protocolName: "nothing",
    decidePartitions: () => {
      calls++;
      return [];
    },
  };
  const group = uniqueName("nothing");
  const consumer = member(topic, group, { membershipProtocol: nothing });
  try {
    await consumer.start();
    assert.ok(consumer.running);
    assert.equal(consumer.partitions.size, 0);
    assert.deepEqual(consumer.heldOffsets, new Map());
    const steps = consumer.rebalanceStats.steps;
    const t0 = performance.now();
    assert.equal(await consumer.consume({ timeoutMs: 1500 }), null);
    assert.ok(performance.now() - t0 >= 1400, "consume() returned early");
    // Nothing polls while idle (pykafka #628): rebalances run only on
    // ZooKeeper events (brokers, this topic, the group's members), of
    // which there are none here.
    assert.equal(consumer.rebalanceStats.steps, steps);
    assert.ok(calls >= 1);
    assert.ok(consumer.running);
    // Nothing is owned in ZooKeeper either.
    await using zk = await zookeeper();
    assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
    assert.deepEqual(await memberIds(zk, group), [consumer.consumerId]);
  } finally {
    await consumer.stop();
  }
  await assert.rejects(consumer.consume(), ConsumerStoppedException);
});

Deno.test("BalancedConsumer: an external ZookeeperClient is used, not closed, and our nodes leave it on stop()", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "extzk", { partitions: 2 });
  await produceMany(topic, 100);
  const group = uniqueName("extzk");
  const consumer = topic.getBalancedConsumer({
    consumerGroup: group,
    zookeeper: zk,
    // ignored when zookeeper is given
    zookeeperHosts: "127.0.0.1:1",
  });
  await consumer.start();
  assert.equal(consumer.zookeeper, zk);
  assert.equal(consumer.zookeeperHosts, ZK);
  const m = await consumer.consume({ timeoutMs: 10_000 });
  assert.ok(m);
  assert.deepEqual(await memberIds(zk, group), [consumer.consumerId]);
  assert.equal((await ownerNodes(zk, group, topic.name)).length, 2);
  await consumer.stop();
  assert.equal(zk.state, "connected");
  assert.deepEqual(await memberIds(zk, group), []);
  assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
  // Started again on the same client.
  await consumer.start();
  assert.deepEqual(await memberIds(zk, group), [consumer.consumerId]);
  await consumer.stop();
  assert.equal(zk.state, "connected");
});

Deno.test("BalancedConsumer: stop() removes our nodes (own ZooKeeper session)", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "stopnodes", { partitions: 1 });
  const group = uniqueName("stopnodes");
  const consumer = member(topic, group);
  await consumer.start();
  assert.deepEqual(await memberIds(zk, group), [consumer.consumerId]);
  assert.equal((await ownerNodes(zk, group, topic.name)).length, 1);
  const own = consumer.zookeeper!;
  await consumer.stop();
  assert.equal(own.state, "closed");
  assert.equal(consumer.zookeeper, undefined);
  assert.deepEqual(await memberIds(zk, group), []);
  assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
});

Deno.test("BalancedConsumer: the post-rebalance callback's { partition: 50 } moves the held offsets to 50", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "callback", { partitions: 3 });
  await produceMany(topic, 600);
  const calls: [Map<number, number>, Map<number, number>][] = [];
  const consumer = member(topic, uniqueName("callback"), {
    postRebalanceCallback: (c, oldOffsets, newOffsets) => {
      assert.ok(c instanceof BalancedConsumer);
      calls.push([oldOffsets, newOffsets]);
      return Object.fromEntries([...newOffsets.keys()].map((p) => [p, 50]));
    },
  });
  try {
    await consumer.start();
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0][0], new Map());
    assert.deepEqual([...calls[0][1].keys()], [0, 1, 2]);
    assert.deepEqual(
      consumer.heldOffsets,
      new Map([[0, 50], [1, 50], [2, 50]]),
    );
    const m = await consumer.consume({ timeoutMs: 10_000 });
    assert.equal(m?.offset, 51);
  } finally {
    await consumer.stop();
  }

  // A callback that throws: its error comes out of consume().
  const failing = member(topic, uniqueName("callback-throws"), {
    postRebalanceCallback: () => {
      throw new RangeError("callback failed");
    },
  });
  try {
    await failing.start();
    await assert.rejects(
      failing.consume({ timeoutMs: 5000 }),
      /callback failed/,
    );
    assert.ok(failing.running);
  } finally {
    await failing.stop();
  }
});

Deno.test("BalancedConsumer: round-robin protocol and resetOffsetOnStart with LATEST", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "rr", { partitions: 4 });
  await produceMany(topic, 400);
  const group = uniqueName("rr");
  const opts = {
    membershipProtocol: RoundRobinProtocol,
    resetOffsetOnStart: true,
    autoOffsetReset: OffsetType.LATEST,
  };
  await using a = member(topic, group, opts);
  await using b = member(topic, group, opts);
  await Promise.all([a.start(), b.start()]);
  await waitBalanced([a, b], 4, zk);
  const [first] = [a, b].sort((x, y) => x.consumerId < y.consumerId ? -1 : 1);
  const order = sortPartitionsPykafka([...topic.partitions.values()]).map((p) =>
    p.id
  );
  assert.deepEqual(
    [...first.partitions.keys()].sort(),
    [order[0], order[2]].sort(),
  );
  const latest = await topic.latestAvailableOffsets();
  for (const m of [a, b]) {
    for (const [p, held] of m.heldOffsets) {
      assert.equal(held, latest.get(p)! - 1);
    }
    assert.equal(await m.consume({ block: false }), null);
  }
});

Deno.test("BalancedConsumer: options are checked; zookeeperHosts defaults to the client's; managed: true is the ManagedBalancedConsumer", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "opts", { partitions: 1 });
  assert.throws(
    () => topic.getBalancedConsumer({} as { consumerGroup: string }),
    (e) => e instanceof TypeError && /consumerGroup/.test(e.message),
  );
  assert.throws(
    () =>
      topic.getBalancedConsumer({
        consumerGroup: "g",
        zookeeperHost: "x",
      } as unknown as { consumerGroup: string }),
    (e) =>
      e instanceof TypeError && /did you mean zookeeperHosts/.test(e.message),
  );
  assert.throws(
    () => topic.getBalancedConsumer({ consumerGroup: "a/b", autoStart: false }),
    (e) => e instanceof RangeError && /consumerGroup/.test(e.message),
  );
  assert.throws(
    () =>
      topic.getBalancedConsumer({
        consumerGroup: "g",
        zookeeper: "127.0.0.1:2181" as unknown as ZookeeperClient,
      }),
    (e) => e instanceof TypeError && /ZookeeperClient/.test(e.message),
  );
  assert.throws(
    () =>
      topic.getBalancedConsumer({ consumerGroup: "g", rebalanceMaxRetries: 0 }),
    RangeError,
  );
  // managed: true is the other consumer (Kafka's group protocol).
  assert.ok(
    topic.getBalancedConsumer({
      consumerGroup: "g",
      managed: true,
      autoStart: false,
    }) instanceof ManagedBalancedConsumer,
  );
  const dflt = topic.getBalancedConsumer({
    consumerGroup: "g",
    autoStart: false,
  });
  assert.equal(dflt.zookeeperHosts, "127.0.0.1:2181");
  assert.equal(
    topic.getBalancedConsumer({
      consumerGroup: "g",
      autoStart: false,
      zookeeperHosts: "a:1",
      zookeeperConnect: "b:2",
    }).zookeeperHosts,
    "b:2",
  );
  await using viaZk = await KafkaClient.connect({ zookeeperHosts: ZK });
  const t2 = await viaZk.topics.get(topic.name);
  const fromClient = t2.getBalancedConsumer({
    consumerGroup: uniqueName("fromclient"),
    managed: false,
  });
  assert.equal(fromClient.zookeeperHosts, ZK);
  await fromClient.start();
  assert.equal(fromClient.partitions.size, 1);
  await fromClient.stop();
  // A ZooKeeper that is not there: start() fails after the connection
  // timeout, naming it.
  const nowhere = topic.getBalancedConsumer({
    consumerGroup: "g",
    zookeeperHosts: "127.0.0.1:1",
    zookeeperConnectionTimeoutMs: 500,
    autoStart: false,
  });
  await assert.rejects(
    nowhere.start(),
    /127\.0\.0\.1:1: no session within 500 ms/,
  );
  assert.equal(nowhere.running, false);
});
