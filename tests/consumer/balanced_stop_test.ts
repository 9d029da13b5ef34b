// BalancedConsumer (ZooKeeper) stopped while it starts or rebalances,
// against the Kafka 3.9 brokers and their ZooKeeper: stop() resolves, the
// start in the background ends without an unhandled rejection (Deno's test
// sanitizers report one), and the group's nodes are gone.
import assert from "node:assert/strict";
import { ConsumerStoppedException, ZookeeperClient } from "../../mod.ts";
import { connect, createTopic, produceMany, uniqueName } from "./_helpers.ts";
import {
  member,
  memberIds,
  ownerNodes,
  waitBalanced,
  ZK,
  zookeeper,
} from "./_balanced.ts";
import { waitFor } from "../wait_for.ts";

Deno.test("BalancedConsumer: stop() right after getBalancedConsumer (autoStart) ends the start cleanly and leaves no nodes", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "balstop", { partitions: 2 });
  const group = uniqueName("gstop");
  for (let i = 0; i < 3; i++) {
    const c = member(topic, group);
    await c.stop();
    assert.equal(c.running, false);
    assert.equal(c.partitions.size, 0);
    await assert.rejects(
      c.consume({ block: false }),
      ConsumerStoppedException,
    );
  }
  assert.deepEqual(await memberIds(zk, group), []);
  assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
});

Deno.test("BalancedConsumer: stop() once the ZooKeeper session is up, before the first rebalance is over", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "balstop2", { partitions: 2 });
  const group = uniqueName("gstop2");
  const c = member(topic, group);
  await waitFor(() => c.zookeeper?.state === "connected", {
    timeoutMs: 10_000,
    intervalMs: 1,
    what: "the consumer's ZooKeeper session",
  });
  await c.stop();
  assert.equal(c.running, false);
  assert.equal(c.zookeeper, undefined);
  assert.deepEqual(await memberIds(zk, group), []);
  assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
});

Deno.test("BalancedConsumer: stop() of both members while the second joins (a rebalance runs) leaves no nodes", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "balstop3", { partitions: 4 });
  await produceMany(topic, 100);
  const group = uniqueName("gstop3");
  const a = member(topic, group);
  await a.start();
  await waitBalanced([a], 4, zk);
  const b = member(topic, group);
  // b's id node makes a rebalance (a gives up two partitions).
  await waitFor(async () => (await memberIds(zk, group)).length === 2, {
    timeoutMs: 10_000,
    intervalMs: 1,
    what: "the second member's id node",
  });
  await Promise.all([a.stop(), b.stop()]);
  assert.equal(a.partitions.size, 0);
  assert.equal(b.partitions.size, 0);
  assert.deepEqual(await memberIds(zk, group), []);
  assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
});

Deno.test("BalancedConsumer: stop() right after start with an external ZooKeeper client leaves that client open and no nodes", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "balstop4", { partitions: 2 });
  const group = uniqueName("gstop4");
  const c = member(topic, group, { zookeeper: zk });
  await c.stop();
  // And once more after it registered (stopped in its first rebalance).
  const d = member(topic, group, { zookeeper: zk });
  await waitFor(async () => (await memberIds(zk, group)).length === 1, {
    timeoutMs: 10_000,
    intervalMs: 1,
    what: "the member's id node",
  });
  await d.stop();
  assert.equal(zk.state, "connected");
  assert.deepEqual(await memberIds(zk, group), []);
  assert.deepEqual(await ownerNodes(zk, group, topic.name), []);
});

Deno.test("ZookeeperClient: start() with an aborted signal opens nothing; closing while a start waits rejects it as closed", async () => {
  const zk = new ZookeeperClient(ZK);
  const gone = new AbortController();
  gone.abort(new Error("gone"));
  await assert.rejects(zk.start(gone.signal), /gone/);
  assert.equal(zk.state, "connecting");
  // A start given up on by its caller, then the client closed under it.
  const abort = new AbortController();
  const started = zk.start(abort.signal);
  abort.abort(new Error("given up"));
  await assert.rejects(started, /given up/);
  const plain = zk.start();
  await zk.close();
  await assert.rejects(plain, /is closed/);
  assert.equal(zk.state, "closed");
});
