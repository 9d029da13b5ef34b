// KafkaClient + Cluster + TopicDict + Topic/Partition against the real
// local cluster (Kafka 3.9 brokers 1 and 2, Kafka 4.x node 101).
import assert from "node:assert/strict";
import {
  InvalidTopicException,
  KafkaError,
  LeaderNotFoundError,
  MessageSizeTooLarge,
  NoBrokersAvailableError,
  NotLeaderForPartition,
  UnknownTopicOrPartition,
} from "../../src/errors/mod.ts";
import {
  KafkaClient,
  type KafkaClientOptions,
  Topic,
} from "../../src/client/mod.ts";
import { Broker, OffsetType } from "../../src/cluster/mod.ts";
import { ListOffsets } from "../../src/protocol/mod.ts";
import { cluster, type ClusterName } from "../cluster/mod.ts";
import { produce, uniqueName } from "./_helpers.ts";

const CLUSTERS: ClusterName[] = ["kafka39", "kafka4"];

Deno.test("client: the constructor checks options and does no I/O", async () => {
  // Nothing listens on port 1: a constructor that connected would fail.
  const c = new KafkaClient({ hosts: "127.0.0.1:1" });
  assert.equal(c.brokers.size, 0);
  assert.equal(c.cluster.connected, false);
  assert.equal(String(c), "KafkaClient(127.0.0.1:1)");
  await c.close();
  for (
    const [bad, type] of [
      [{ hosts: "" }, RangeError],
      [{ hosts: "h:99999" }, RangeError],
      [{ hosts: "[::1:9092" }, RangeError],
      [{ hosts: 9092 }, TypeError],
      [{ brokerVersion: "latest" }, RangeError],
      [{ socketTimeoutMs: 0 }, RangeError],
      [{ offsetsChannelSocketTimeoutMs: -5 }, RangeError],
      [{ sourceAddress: "host:port" }, RangeError],
      [{ zookeeperHosts: " " }, RangeError],
      [{ metadataRefreshIntervalMs: "0" }, TypeError],
      [{ autoCreateTopics: 1 }, TypeError],
      [{ reconnectBackoff: { jitter: 2 } }, RangeError],
      [
        { sasl: { mechanism: "GSSAPI", username: "u", password: "p" } },
        RangeError,
      ],
      [{ sslConfig: { cafile: "a", ca: "b" } }, RangeError],
      [{ socketTimeoutMS: 5 }, TypeError], // unknown: was accepted silently
      [{ topicFactory: () => {} }, TypeError], // the Cluster's, not the client's
    ] as const
  ) {
    const key = Object.keys(bad)[0];
    assert.throws(
      () => new KafkaClient(bad as KafkaClientOptions),
      (e: unknown) =>
        e instanceof type && !(e instanceof KafkaError) &&
        e.message.startsWith("KafkaClient") && e.message.includes(key),
      JSON.stringify(bad),
    );
  }
  // IPv6 literals in brackets, a missing port, a source address without port.
  const v6 = new KafkaClient({
    hosts: "[::1]:9092,kafka",
    sourceAddress: "127.0.0.1",
  });
  assert.equal(String(v6), "KafkaClient([::1]:9092,kafka:9092)");
  await v6.close();
});

Deno.test("client: NoBrokersAvailableError names every host tried and why", async () => {
  const l1 = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const l2 = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const p1 = l1.addr.port;
  const p2 = l2.addr.port;
  l1.close();
  l2.close();
  const started = Date.now();
  await assert.rejects(
    KafkaClient.connect({ hosts: `127.0.0.1:${p1},127.0.0.1:${p2}` }),
    (e: unknown) => {
      assert.ok(e instanceof NoBrokersAvailableError);
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${p1} \\(`));
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${p2} \\(`));
      assert.match(e.message, /refused|Connection/i);
      return true;
    },
  );
  assert.ok(Date.now() - started < 10_000);
});

Deno.test("client: IPv6 literal bootstrap host ([::1]:port through a relay)", async () => {
  const target = cluster.address(1, "PLAINTEXT").split(":");
  const { TcpProxy } = await import("../network/_fake_server.ts");
  await using relay = new TcpProxy("::1", {
    hostname: target[0],
    port: Number(target[1]),
  });
  await using client = await KafkaClient.connect({
    hosts: `[::1]:${relay.port}`,
  });
  assert.deepEqual([...client.brokers.keys()].sort(), [1, 2]);
});

for (const name of CLUSTERS) {
  Deno.test(`client ${name}: connect, brokers, controller, auto-created topic with a leader`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(name, "PLAINTEXT"),
      clientId: "denokafka-test",
    });
    assert.deepEqual(
      [...client.brokers.keys()].sort((a, b) => a - b),
      cluster.brokerIds(name),
    );
    for (const b of client.brokers.values()) {
      assert.ok(b instanceof Broker);
      assert.equal(b.host, "127.0.0.1");
      assert.equal(b.address, cluster.address(b.id, "PLAINTEXT"));
    }
    assert.ok(client.cluster.controller instanceof Broker);
    assert.ok(client.cluster.clusterId);
    assert.equal(client.brokers, client.cluster.brokers);
    assert.equal(client.topics, client.cluster.topics);

    const topicName = uniqueName("auto");
    assert.equal(client.topics.has(topicName), false);
    const topic = await client.topics.get(topicName);
    assert.ok(topic instanceof Topic);
    assert.equal(topic.name, topicName);
    assert.equal(topic.partitions.size, 1);
    const p = topic.partitions.get(0)!;
    assert.equal(p.id, 0);
    assert.ok(cluster.brokerIds(name).includes(p.leader.id));
    assert.equal(p.leader, client.brokers.get(p.leader.id));
    assert.deepEqual(p.replicas.map((b) => b.id), [p.leader.id]);
    assert.deepEqual(p.isr.map((b) => b.id), [p.leader.id]);
    assert.ok(client.topics.has(topicName));
    // The same object while it is referenced.
    assert.equal(await client.topics.get(topicName), topic);
    assert.equal(client.topics.peek(topicName), topic);
    if (name === "kafka4") assert.ok(topic.topicId);

    // Offsets of an empty partition, then after producing.
    assert.equal(await p.earliestAvailableOffset(), 0);
    assert.equal(await p.latestAvailableOffset(), 0);
    await produce(topic, 0, 7);
    assert.equal(await p.latestAvailableOffset(), 7);
    assert.deepEqual(await topic.latestAvailableOffsets(), new Map([[0, 7]]));
    assert.deepEqual(await topic.earliestAvailableOffsets(), new Map([[0, 0]]));
    assert.deepEqual(
      await topic.fetchOffsetLimits(OffsetType.LATEST),
      new Map([[0, [7]]]),
    );
  });

  Deno.test(`client ${name}: group coordinator lookup is cached and invalidated`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(name, "PLAINTEXT"),
    });
    const group = uniqueName("grp");
    const c1 = await client.cluster.getGroupCoordinator(group);
    assert.ok(client.brokers.get(c1.id) === c1);
    const c2 = await client.cluster.getGroupCoordinator(group);
    assert.equal(c2, c1);
    client.cluster.invalidateCoordinator(group);
    const c3 = await client.cluster.getGroupCoordinator(group);
    assert.equal(c3.id, c1.id);
  });

  Deno.test(`client ${name}: a timestamp lookup returns the first offset at or after that time`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(name, "PLAINTEXT"),
    });
    const topic = await client.topics.get(uniqueName("ts"));
    const base = Date.now() - 60_000;
    // Records 0..9 at base+0..9, records 10..19 at base+1000..1009.
    await produce(topic, 0, 10, { timestamp: base });
    await produce(topic, 0, 10, { timestamp: base + 1000 });
    const p = topic.partitions.get(0)!;
    assert.deepEqual(await p.fetchOffsetLimit(base - 5), [0]);
    assert.deepEqual(await p.fetchOffsetLimit(base), [0]);
    assert.deepEqual(await p.fetchOffsetLimit(base + 3), [3]);
    assert.deepEqual(await p.fetchOffsetLimit(new Date(base + 9)), [9]);
    assert.deepEqual(await p.fetchOffsetLimit(base + 10), [10]);
    assert.deepEqual(await p.fetchOffsetLimit(base + 500), [10]);
    assert.deepEqual(await p.fetchOffsetLimit(base + 1009), [19]);
    // After the last record: none.
    assert.deepEqual(await p.fetchOffsetLimit(base + 1010), []);
    assert.deepEqual(
      await topic.fetchOffsetLimits(new Date(base + 1004)),
      new Map([[0, [14]]]),
    );
  });
}

Deno.test("client: topics: __ hidden unless excludeInternalTopics is false", async () => {
  const hidden = `__${uniqueName("starts_with_underscores")}`;
  {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
    });
    await assert.rejects(client.topics.get(hidden), InvalidTopicException);
    await assert.rejects(
      client.topics.get("__consumer_offsets"),
      InvalidTopicException,
    );
    assert.equal(client.topics.has("__consumer_offsets"), false);
    assert.ok(!client.topics.keys().some((n) => n.startsWith("__")));
  }
  {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
      excludeInternalTopics: false,
    });
    const t = await client.topics.get(hidden);
    assert.equal(t.name, hidden);
    assert.ok(client.topics.has(hidden));
    const offsets = await client.topics.get("__consumer_offsets", {
      autoCreate: false,
    });
    assert.ok(offsets.isInternal);
    assert.equal(offsets.partitions.size, 3);
  }
});

Deno.test("client: topic count grows by two after two new names, no double count, shrinks after a broker-side delete", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
  });
  const a = uniqueName("count-a");
  const b = uniqueName("count-b");
  // Other tests create topics concurrently: count the names of this test.
  const mine = () => client.topics.keys().filter((n) => n === a || n === b);
  await client.updateCluster();
  assert.equal(mine().length, 0);
  const ta = await client.topics.get(a);
  const tb = await client.topics.get(b);
  assert.equal(mine().length, 2);
  await client.topics.get(a);
  await client.topics.get(b);
  await client.updateCluster();
  assert.equal(mine().length, 2);
  assert.equal([...client.topics].filter((n) => n === a).length, 1);
  assert.ok(ta && tb);
  // Deleted by someone else: gone after updateCluster().
  {
    await using other = await KafkaClient.connect({
      hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
    });
    await other.deleteTopics([a, b]);
  }
  await client.updateCluster();
  assert.equal(mine().length, 0);
  assert.equal(client.topics.has(a), false);
});

Deno.test("client: topics.values() leaves out a topic deleted since the metadata listed it", async () => {
  const hosts = cluster.bootstrap("kafka39", "PLAINTEXT");
  await using client = await KafkaClient.connect({
    hosts,
    metadataRefreshIntervalMs: 0,
  });
  const kept = uniqueName("values-kept");
  const gone = uniqueName("values-gone");
  await using other = await KafkaClient.connect({ hosts });
  await other.createTopics([{ name: kept }, { name: gone }]);
  try {
    await client.updateCluster(); // lists both; neither is a live object
    assert.ok(
      client.topics.has(gone) && client.topics.peek(gone) === undefined,
    );
    await other.deleteTopics([gone]);
    const names = (await client.topics.values()).map((t) => t.name);
    assert.ok(names.includes(kept), "the kept topic is returned");
    assert.ok(!names.includes(gone), "the deleted topic is left out");
  } finally {
    await other.deleteTopics([kept]);
  }
});

Deno.test("client: get() of a missing topic with autoCreate false; illegal names", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka4", "PLAINTEXT"),
  });
  const missing = uniqueName("missing");
  await assert.rejects(
    client.topics.get(missing, { autoCreate: false }),
    UnknownTopicOrPartition,
  );
  await client.updateCluster();
  assert.equal(client.topics.has(missing), false);
  for (const bad of ["", ".", "..", "a/b", "x".repeat(250), "sp ace"]) {
    await assert.rejects(client.topics.get(bad), InvalidTopicException);
  }
});

Deno.test("client: a partition without a leader throws LeaderNotFoundError", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka4", "PLAINTEXT"),
  });
  const topic = await client.topics.get(uniqueName("noleader"));
  const p = topic.partitions.get(0)!;
  p.update({
    errorCode: 5,
    partitionIndex: 0,
    leaderId: -1,
    replicaNodes: [101],
    isrNodes: [],
  }, client.brokers);
  assert.equal(p.hasLeader, false);
  assert.throws(() => p.leader, LeaderNotFoundError);
  assert.deepEqual(p.isr, []);
  await client.updateCluster();
  assert.equal(p.leader.id, 101);
});

Deno.test("client: brokerVersion 0.10.0 uses ListOffsets v0 with pykafka's segment semantics", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
    brokerVersion: "0.10.0",
  });
  const topic = await client.topics.get(uniqueName("legacy"));
  const leader = topic.partitions.get(0)!.leader;
  assert.equal(await leader.apiVersion(ListOffsets), 0);
  const before = Date.now() - 60_000;
  await produce(topic, 0, 5);
  const p = topic.partitions.get(0)!;
  // LATEST: the high watermark, then the base offsets of the segments.
  assert.deepEqual(await p.fetchOffsetLimit(OffsetType.LATEST, 5), [5, 0]);
  assert.deepEqual(await p.fetchOffsetLimit(OffsetType.LATEST), [5]);
  assert.deepEqual(await p.fetchOffsetLimit(OffsetType.EARLIEST, 5), [0]);
  // A time after the last write: every segment; before the first: none.
  assert.deepEqual(await p.fetchOffsetLimit(Date.now() + 60_000, 5), [5, 0]);
  assert.deepEqual(await p.fetchOffsetLimit(before, 5), []);
  assert.equal(await p.latestAvailableOffset(), 5);
  const coordinator = await client.cluster.getGroupCoordinator(
    uniqueName("legacy-grp"),
  );
  assert.ok(client.brokers.get(coordinator.id));
});

Deno.test("client: periodic refresh picks up a topic created elsewhere; updateOnError", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka4", "PLAINTEXT"),
    metadataRefreshIntervalMs: 200,
  });
  await using other = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka4", "PLAINTEXT"),
  });
  const name = uniqueName("periodic");
  await other.createTopics([{ name, numPartitions: 1 }]);
  const before = client.cluster.lastUpdate;
  for (let i = 0; i < 50 && !client.topics.has(name); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(client.topics.has(name), "seen without an explicit update");
  assert.ok(client.cluster.lastUpdate > before);

  assert.equal(
    await client.cluster.updateOnError(new NotLeaderForPartition()),
    true,
  );
  assert.equal(
    await client.cluster.updateOnError(new LeaderNotFoundError()),
    true,
  );
  assert.equal(
    await client.cluster.updateOnError(new MessageSizeTooLarge()),
    false,
  );
  assert.equal(await client.cluster.updateOnError(new Error("x")), false);
  await other.deleteTopics([name]);
});
