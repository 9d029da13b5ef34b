// The client surface over TLS, mutual TLS and SASL (SASL_SSL on Kafka 3.9,
// SASL_PLAINTEXT and SSL on Kafka 4.x): bootstrap, auto-created topic,
// offsets, produce, the offsets channel, a group connection, coordinator
// lookup and admin operations all go over the secured listener.
import assert from "node:assert/strict";
import { SaslAuthenticationError } from "../../src/errors/mod.ts";
import { ApiVersions, ListGroups } from "../../src/protocol/mod.ts";
import { KafkaClient, type KafkaClientOptions } from "../../src/client/mod.ts";
import {
  cluster,
  type ClusterName,
  type ListenerName,
} from "../cluster/mod.ts";
import { produce, uniqueName } from "./_helpers.ts";

interface Case {
  name: ClusterName;
  listener: ListenerName;
  options: () => KafkaClientOptions;
}

const tls = () => cluster.tls;
const CASES: Case[] = [
  {
    name: "kafka39",
    listener: "SSL",
    options: () => ({ sslConfig: { cafile: tls().caFile } }),
  },
  {
    name: "kafka39",
    listener: "MTLS",
    options: () => ({
      sslConfig: {
        cafile: tls().caFile,
        certfile: tls().clientCertFile,
        keyfile: tls().clientEncryptedKeyFile,
        password: cluster.tlsKeyPassword,
      },
    }),
  },
  {
    name: "kafka39",
    listener: "SASL_SSL",
    options: () => ({
      sslConfig: { cafile: tls().caFile },
      sasl: { mechanism: "SCRAM-SHA-512", ...cluster.sasl.alice },
    }),
  },
  {
    name: "kafka4",
    listener: "SSL",
    options: () => ({ sslConfig: { cafile: tls().caFile } }),
  },
  {
    name: "kafka4",
    listener: "SASL_PLAINTEXT",
    options: () => ({
      sasl: { mechanism: "SCRAM-SHA-256", ...cluster.sasl.alice },
    }),
  },
];

for (const c of CASES) {
  Deno.test(`security ${c.name} ${c.listener}: the whole client surface`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(c.name, c.listener),
      ...c.options(),
    });
    const ids = cluster.brokerIds(c.name);
    assert.deepEqual([...client.brokers.keys()].sort((a, b) => a - b), ids);
    for (const b of client.brokers.values()) {
      assert.equal(b.address, cluster.address(b.id, c.listener));
    }
    // Auto-created topic, produce, offsets.
    const topic = await client.topics.get(uniqueName(`sec-${c.listener}`));
    await produce(topic, 0, 5);
    assert.deepEqual(await topic.latestAvailableOffsets(), new Map([[0, 5]]));
    assert.deepEqual(await topic.earliestAvailableOffsets(), new Map([[0, 0]]));

    // Admin: create and delete a topic (controller connection).
    const made = uniqueName("sec-admin");
    await client.createTopics([{ name: made, numPartitions: 2 }]);
    assert.equal(
      (await client.topics.get(made, { autoCreate: false })).partitions.size,
      2,
    );

    // Coordinator, offsets channel (commit + fetch), group listing.
    const group = uniqueName("sec-grp");
    const coordinator = await client.cluster.getGroupCoordinator(group);
    await client.commitConsumerGroupOffsets(group, [
      { topic: topic.name, partition: 0, offset: 3 },
    ]);
    assert.ok(coordinator.offsetsChannelConnected);
    const lag = await client.consumerGroupLag(group, topic.name);
    assert.deepEqual(lag.get(0), {
      partition: 0,
      latest: 5,
      committed: 3,
      lag: 2,
      metadata: "",
    });
    const [g] = await client.describeGroups([group]);
    assert.equal(g.state, "Empty");

    // A dedicated group connection speaks the same TLS/SASL.
    const gc = coordinator.groupConnection("member-1");
    const versions = await gc.send(ApiVersions, {}, { version: 0 });
    assert.equal(versions.errorCode, 0);
    const listed = await gc.send(ListGroups, {});
    assert.equal(listed.errorCode, 0);
    if (c.options().sasl) {
      assert.ok((await gc.connection()).saslSession);
    }
    await coordinator.closeGroupConnection("member-1");

    await client.deleteGroups([group]);
    await client.deleteTopics([made, topic.name]);
  });
}

Deno.test("security: bad SASL credentials fail the bootstrap at once with SaslAuthenticationError, naming the host", async () => {
  const started = Date.now();
  await assert.rejects(
    KafkaClient.connect({
      hosts: cluster.bootstrap("kafka39", "SASL_SSL"),
      sslConfig: { cafile: cluster.tls.caFile },
      sasl: { mechanism: "PLAIN", username: "alice", password: "wrong" },
    }),
    (e: unknown) => {
      assert.ok(e instanceof SaslAuthenticationError, String(e));
      assert.match(
        e.message,
        new RegExp(
          `${cluster.address(1, "SASL_SSL")}|${cluster.address(2, "SASL_SSL")}`,
        ),
      );
      return true;
    },
  );
  assert.ok(Date.now() - started < 10_000);
});
