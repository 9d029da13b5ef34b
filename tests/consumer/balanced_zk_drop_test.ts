// BalancedConsumer when its ZooKeeper connection drops (a fault-injecting
// TCP proxy between the member and the cluster's ZooKeeper): ownership is
// in doubt at once (the session may end, or be ended by another client,
// before the connection returns), so delivery stops and commits wait; when
// the same session comes back, a rebalance confirms the partitions, the
// waiting commit goes through and delivery resumes where it stopped.
import assert from "node:assert/strict";
import { connect, createTopic, produceMany, uniqueName } from "./_helpers.ts";
import { member, ZK } from "./_balanced.ts";
import { FaultProxy } from "../fault/proxy.ts";
import { waitFor } from "../wait_for.ts";

/** `host:port/chroot` -> the address and the chroot. */
function splitZookeeper(
  hosts: string,
): { host: string; port: number; chroot: string } {
  const slash = hosts.indexOf("/");
  const first = (slash < 0 ? hosts : hosts.slice(0, slash)).split(",")[0];
  const colon = first.lastIndexOf(":");
  return {
    host: first.slice(0, colon),
    port: Number(first.slice(colon + 1)),
    chroot: slash < 0 ? "" : hosts.slice(slash),
  };
}

Deno.test("BalancedConsumer: a dropped ZooKeeper connection stops delivery and holds commits until the same session confirms ownership", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "zkdrop", { partitions: 2 });
  await produceMany(topic, 2000);
  const zk = splitZookeeper(ZK);
  await using proxy = new FaultProxy({ hostname: zk.host, port: zk.port });
  const group = uniqueName("zkdrop");
  const m = member(topic, group, {
    zookeeperHosts: `127.0.0.1:${proxy.port}${zk.chroot}`,
    zookeeperConnectionTimeoutMs: 15_000,
  });
  try {
    await m.start();
    const seen = new Map<number, number>();
    for (let i = 0; i < 20; i++) {
      const msg = await m.consume({ timeoutMs: 10_000 });
      assert.ok(msg, "a message before the fault");
      seen.set(msg.partitionId, msg.offset);
    }
    const session = m.zookeeper!.clientId!.sessionId;
    const held = m.heldOffsets;

    // The connection drops, and reconnecting fails for now.
    proxy.refuse(true);
    proxy.drop();
    await waitFor(() => m.zookeeper!.state === "suspended", {
      what: "the ZooKeeper client to notice the dropped connection",
    });
    let committed = false;
    const commit = m.commitOffsets().then(() => committed = true);
    // Records are queued, but none is delivered while ownership is in doubt.
    assert.equal(await m.consume({ timeoutMs: 1500 }), null);
    assert.equal(committed, false, "the commit waited for the connection");

    // The same session comes back: the commit goes through, and delivery
    // resumes right after the last record delivered.
    proxy.refuse(false);
    await commit;
    assert.equal(m.zookeeper!.clientId?.sessionId, session);
    const stored = (await client.admin.fetchConsumerGroupOffsets(group, [
      topic.name,
    ])).get(topic.name);
    for (const [p, o] of held) {
      if (o < 0) continue;
      assert.equal(stored?.get(p)?.offset, o + 1, `partition ${p} committed`);
    }
    const next = await m.consume({ timeoutMs: 10_000 });
    assert.ok(next, "a message after the reconnect");
    const before = seen.get(next.partitionId);
    assert.equal(next.offset, before === undefined ? 0 : before + 1);

    // Down again: a commit waiting then, and stop(), both end (bounded by
    // the session timeout), the commit with an error that says why.
    proxy.refuse(true);
    proxy.drop();
    await waitFor(() => m.zookeeper!.state === "suspended", {
      what: "the second drop to be noticed",
    });
    const pending = m.commitOffsets();
    pending.catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      m.stop(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error("stop() did not end while ZooKeeper was down")),
          25_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    await assert.rejects(pending, /has not confirmed this member's partitions/);
    assert.equal(m.running, false);
  } finally {
    proxy.refuse(false);
    await m.stop();
  }
});
