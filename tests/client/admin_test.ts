// Admin operations through KafkaClient against Kafka 3.9 (ZooKeeper) and
// Kafka 4.x (KRaft): topics, partitions, configs, groups, offsets, lag.
import assert from "node:assert/strict";
import {
  GroupIdNotFound,
  InvalidPartitions,
  TopicAlreadyExists,
  UnknownTopicOrPartition,
} from "../../src/errors/mod.ts";
import { KafkaClient } from "../../src/client/mod.ts";
import { AdminError, ConfigResourceType } from "../../src/admin/mod.ts";
import { cluster, type ClusterName } from "../cluster/mod.ts";
import { produce, uniqueName } from "./_helpers.ts";
import { waitFor } from "../wait_for.ts";

const CLUSTERS: ClusterName[] = ["kafka39", "kafka4"];

for (const name of CLUSTERS) {
  const rf = name === "kafka39" ? 2 : 1;

  Deno.test(`admin ${name}: create a topic with 6 partitions and a config override, describe, alter, add partitions, delete`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(name, "PLAINTEXT"),
    });
    const topicName = uniqueName("admin");
    const [created] = await client.createTopics([{
      name: topicName,
      numPartitions: 6,
      replicationFactor: rf,
      config: { "retention.ms": "3600000", "cleanup.policy": "compact" },
    }]);
    assert.equal(created.name, topicName);
    assert.equal(created.numPartitions, 6);
    assert.equal(created.replicationFactor, rf);
    assert.ok(client.topics.has(topicName), "metadata shows the new topic");
    const topic = await client.topics.get(topicName, { autoCreate: false });
    assert.equal(topic.partitions.size, 6);
    for (const p of topic.partitions.values()) {
      assert.equal(p.replicas.length, rf);
      assert.ok(p.hasLeader);
    }

    // Creating it again fails for that topic, with the Kafka error class.
    await assert.rejects(
      client.createTopics([{ name: topicName, numPartitions: 1 }]),
      (e: unknown) => {
        assert.ok(e instanceof AdminError);
        assert.ok(e.failures.get(topicName) instanceof TopicAlreadyExists);
        assert.equal(e.code, 36);
        return true;
      },
    );
    // validateOnly creates nothing.
    const dry = uniqueName("dry");
    await client.createTopics([{ name: dry, numPartitions: 2 }], {
      validateOnly: true,
    });
    const [dryMd] = await client.cluster.requestTopicMetadata([dry]);
    assert.equal(dryMd.errorCode, 3);

    const resource = { type: ConfigResourceType.TOPIC, name: topicName };
    const [desc] = await client.describeConfigs([resource]);
    assert.equal(desc.name, topicName);
    assert.equal(desc.type, ConfigResourceType.TOPIC);
    const retention = desc.entries.get("retention.ms")!;
    assert.equal(retention.value, "3600000");
    assert.equal(retention.isDefault, false);
    assert.equal(retention.source, 1); // DYNAMIC_TOPIC_CONFIG
    assert.equal(desc.entries.get("cleanup.policy")!.value, "compact");
    assert.equal(desc.entries.get("segment.bytes")!.isDefault, true);

    await client.alterConfigs([{
      ...resource,
      configs: { "retention.ms": "7200000" },
    }]);
    // KRaft applies the change through the controller's metadata log: the
    // broker answers with the new value shortly after, not at once.
    const after = await waitFor(async () => {
      const [d] = await client.describeConfigs([
        { ...resource, keys: ["retention.ms", "cleanup.policy"] },
      ]);
      return d.entries.get("retention.ms")!.value === "7200000" ? d : null;
    }, { what: "retention.ms 7200000 in DescribeConfigs", timeoutMs: 10_000 });
    assert.equal(after.entries.get("retention.ms")!.value, "7200000");
    // AlterConfigs replaces the whole set: cleanup.policy is back to default.
    assert.equal(after.entries.get("cleanup.policy")!.value, "delete");
    assert.equal(after.entries.size, 2);

    // Broker configs are asked at the broker.
    const brokerId = cluster.brokerIds(name)[0];
    const [bdesc] = await client.describeConfigs([{
      type: ConfigResourceType.BROKER,
      name: String(brokerId),
      keys: ["auto.create.topics.enable"],
    }]);
    assert.equal(bdesc.entries.get("auto.create.topics.enable")!.value, "true");

    await client.createPartitions([{ topic: topicName, count: 8 }]);
    assert.equal(topic.partitions.size, 8);
    assert.deepEqual([...topic.partitions.keys()], [0, 1, 2, 3, 4, 5, 6, 7]);
    await assert.rejects(
      client.createPartitions([{ topic: topicName, count: 4 }]),
      (e: unknown) =>
        e instanceof AdminError &&
        e.failures.get(topicName) instanceof InvalidPartitions,
    );

    await client.deleteTopics([topicName]);
    assert.equal(client.topics.has(topicName), false);
    await client.updateCluster();
    assert.equal(client.topics.has(topicName), false);
    await assert.rejects(
      client.topics.get(topicName, { autoCreate: false }),
      UnknownTopicOrPartition,
    );
    await assert.rejects(
      client.deleteTopics([topicName]),
      (e: unknown) =>
        e instanceof AdminError &&
        e.failures.get(topicName) instanceof UnknownTopicOrPartition,
    );
  });

  Deno.test(`admin ${name}: 99 records on 3 partitions: earliest 0, latest sums to 99`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(name, "PLAINTEXT"),
    });
    const topicName = uniqueName("p3");
    await client.createTopics([{
      name: topicName,
      numPartitions: 3,
      replicationFactor: rf,
    }]);
    const topic = await client.topics.get(topicName);
    await Promise.all([0, 1, 2].map((p) => produce(topic, p, 33)));
    for (const p of topic.partitions.values()) {
      assert.equal(await p.earliestAvailableOffset(), 0);
      assert.equal(await p.latestAvailableOffset(), 33);
    }
    const earliest = await topic.earliestAvailableOffsets();
    const latest = await topic.latestAvailableOffsets();
    assert.deepEqual([...earliest.values()], [0, 0, 0]);
    assert.equal([...latest.values()].reduce((a, b) => a + b, 0), 99);
    await client.deleteTopics([topicName]);
  });

  Deno.test(`admin ${name}: group offsets, lag, list, describe and delete a consumer group`, async () => {
    await using client = await KafkaClient.connect({
      hosts: cluster.bootstrap(name, "PLAINTEXT"),
    });
    const topicName = uniqueName("grp-topic");
    const group = uniqueName("grp");
    await client.createTopics([{ name: topicName, numPartitions: 3 }]);
    const topic = await client.topics.get(topicName);
    await produce(topic, 0, 10);
    await produce(topic, 1, 4);

    // Make the group exist by committing offsets at its coordinator.
    await client.commitConsumerGroupOffsets(group, [
      { topic: topicName, partition: 0, offset: 6, metadata: "m0" },
      { topic: topicName, partition: 1, offset: 4 },
    ]);
    const offsets = await client.fetchConsumerGroupOffsets(group, [topicName]);
    assert.deepEqual(
      [...offsets.get(topicName)!].map(([p, o]) => [p, o.offset, o.metadata]),
      [[0, 6, "m0"], [1, 4, ""]],
    );
    // Every topic of the group (OffsetFetch with null topics).
    const all = await client.fetchConsumerGroupOffsets(group);
    assert.deepEqual([...all.keys()], [topicName]);

    const lag = await client.consumerGroupLag(group, topicName);
    assert.deepEqual(
      [...lag.values()].map((l) => [l.partition, l.latest, l.committed, l.lag]),
      [[0, 10, 6, 4], [1, 4, 4, 0], [2, 0, -1, null]],
    );

    const listed = await client.listGroups();
    const mine = listed.find((g) => g.groupId === group);
    assert.ok(mine, "listGroups shows the group");
    const coordinator = await client.cluster.getGroupCoordinator(group);
    assert.equal(mine.coordinatorId, coordinator.id);

    const [desc] = await client.describeGroups([group]);
    assert.equal(desc.groupId, group);
    assert.equal(desc.state, "Empty");
    assert.deepEqual(desc.members, []);
    assert.equal(desc.coordinatorId, coordinator.id);

    const [unknown] = await client.describeGroups([uniqueName("nogroup")]);
    assert.equal(unknown.state, "Dead");

    await client.deleteGroups([group]);
    const [gone] = await client.describeGroups([group]);
    assert.equal(gone.state, "Dead");
    assert.ok(!(await client.listGroups()).some((g) => g.groupId === group));
    assert.equal((await client.fetchConsumerGroupOffsets(group)).size, 0);
    await assert.rejects(
      client.deleteGroups([group]),
      (e: unknown) =>
        e instanceof AdminError &&
        e.failures.get(group) instanceof GroupIdNotFound,
    );
    await client.deleteTopics([topicName]);
  });
}
