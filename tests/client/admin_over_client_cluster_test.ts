// The documented `new Admin(client.cluster)`: a `Cluster<Topic>` (the
// client's) is accepted where the admin expects a `Cluster<ClusterTopic>`.
// This file is type-checked by `deno task check` (`deno check tests/`), so
// the assignments below are the type-level test; the test then uses the
// admin built that way against the real cluster.
import assert from "node:assert/strict";
import {
  Admin,
  type Cluster,
  type ClusterTopic,
  KafkaClient,
  Topic,
} from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import { uniqueName } from "./_helpers.ts";

// Type level: a client's cluster is a cluster of plain topics, not the
// other way round (a plain cluster's topics have no producer/consumers).
function typeLevel(client: KafkaClient, plain: Cluster<ClusterTopic>): void {
  const widened: Cluster<ClusterTopic> = client.cluster;
  // @ts-expect-error a Cluster<ClusterTopic> hands out no Topic
  const narrowed: Cluster<Topic> = plain;
  void widened;
  void narrowed;
}
void typeLevel;

Deno.test("admin: new Admin(client.cluster) type-checks and creates, describes and deletes a topic", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
  });
  const admin = new Admin(client.cluster);
  const name = uniqueName("admin-client-cluster");
  const [created] = await admin.createTopics([{
    name,
    numPartitions: 3,
    replicationFactor: 1,
  }]);
  try {
    assert.equal(created.name, name);
    assert.equal(created.numPartitions, 3);
    // The client's own view (Topic objects) sees what this admin created.
    const topic = await client.topics.get(name, { autoCreate: false });
    assert.ok(topic instanceof Topic);
    assert.equal(topic.partitions.size, 3);
  } finally {
    await admin.deleteTopics([name]);
  }
  const [md] = await client.cluster.requestTopicMetadata([name]);
  assert.equal(md.errorCode, 3, "the topic is gone (UNKNOWN_TOPIC_OR_PART)");
});
