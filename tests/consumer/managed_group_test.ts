// The ManagedBalancedConsumer against the real cluster, with both group
// protocols: classic on Kafka 3.9, KIP-848 ("consumer") on Kafka 4.x. A
// group of 4 on 3 partitions (one idle; a member stops, the others cover
// everything; one joins, one is idle again; no partition ever held by two
// members), a consume() blocked through rebalances, and what every member
// consumes together.
import assert from "node:assert/strict";
import type { ManagedBalancedConsumerOptions } from "../../mod.ts";
import { connect, createTopic, produceMany, uniqueName } from "./_helpers.ts";
import { Ownership, partitionsOf, settled } from "./_group.ts";
import type { ClusterName } from "../cluster/mod.ts";
import { produceTo } from "../client/_helpers.ts";

const PROTOCOLS: ["classic" | "consumer", ClusterName][] = [
  ["classic", "kafka39"],
  ["consumer", "kafka4"],
];

/** Options for a test member: quick heartbeats (classic), short timeouts. */
function memberOptions(
  group: string,
  protocol: "classic" | "consumer",
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

for (const [protocol, clusterName] of PROTOCOLS) {
  Deno.test(`ManagedBalancedConsumer (${protocol}): 4 members on 3 partitions: one idle; one stops, the rest cover all; one joins, one idle again; never two owners`, async () => {
    await using client = await connect(clusterName);
    const topic = await createTopic(client, "m4", { partitions: 3 });
    const group = uniqueName("g4");
    const own = new Ownership();
    const make = (name: string) =>
      topic.getBalancedConsumer(memberOptions(group, protocol, {
        rebalanceListener: own.listener(name),
      }));
    const members = ["a", "b", "c", "d"].map(make);
    const all = partitionsOf(topic.name, 3);
    try {
      await Promise.all(members.map((m) => m.start()));
      const first = await settled(members, all, 1);
      assert.equal(first.filter((a) => a.length === 1).length, 3);
      if (protocol === "classic") {
        assert.ok(members.every((m) => m.protocolName === "range"));
        assert.equal(members.filter((m) => m.isLeader).length, 1);
        const gens = new Set(members.map((m) => m.generationId));
        assert.equal(gens.size, 1, `one generation: ${[...gens]}`);
      } else {
        assert.ok(members.every((m) => m.generationId > 0));
      }
      // A member holding a partition stops: the other three cover all.
      const victim = members.find((m) => m.assignment.length > 0)!;
      await victim.stop();
      const rest = members.filter((m) => m !== victim);
      const second = await settled(rest, all, 0);
      assert.ok(second.every((a) => a.length === 1), JSON.stringify(second));
      // One more joins: one is idle again.
      const e = make("e");
      members.push(e);
      rest.push(e);
      await e.start();
      await settled(rest, all, 1);
      assert.deepEqual(own.violations, [], own.events.join("\n"));
      assert.ok(members.every((m) => m.consumerId !== "" || !m.running));
    } finally {
      await Promise.all(members.map((m) => m.stop()));
      await client.deleteTopics([topic.name]).catch(() => {});
    }
  });

  Deno.test(`ManagedBalancedConsumer (${protocol}): a consume() blocked with no deadline does not hold up rebalances, and gets the next message`, async () => {
    await using client = await connect(clusterName);
    const topic = await createTopic(client, "mblock", { partitions: 2 });
    const group = uniqueName("gblock");
    const a = topic.getBalancedConsumer(memberOptions(group, protocol));
    const b = topic.getBalancedConsumer(
      memberOptions(group, protocol, { autoStart: false }),
    );
    const all = partitionsOf(topic.name, 2);
    try {
      await a.start();
      await settled([a], all, 0);
      // No message anywhere: this waits forever (consumerTimeoutMs -1).
      const blocked = a.consume();
      await b.start();
      const [mine] = await settled([a, b], all, 0);
      assert.equal(mine.length, 1);
      const p = Number(mine[0].split("/")[1]);
      await produceTo(topic, p, [{
        key: null,
        value: new TextEncoder().encode("hello"),
      }]);
      const m = await blocked;
      assert.equal(m?.partitionId, p);
      assert.equal(new TextDecoder().decode(m!.value!), "hello");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await client.deleteTopics([topic.name]).catch(() => {});
    }
  });

  Deno.test(`ManagedBalancedConsumer (${protocol}): two members consume everything; autocommit; a new member resumes at the commits`, async () => {
    await using client = await connect(clusterName);
    const topic = await createTopic(client, "mall", { partitions: 4 });
    await produceMany(topic, 400, "v");
    const group = uniqueName("gall");
    const opts = memberOptions(group, protocol, {
      autoCommitEnable: true,
      autoCommitIntervalMs: 200,
      consumerTimeoutMs: 3000,
    });
    const a = topic.getBalancedConsumer(opts);
    const b = topic.getBalancedConsumer(opts);
    const seen = new Set<string>();
    try {
      await Promise.all([a.start(), b.start()]);
      await settled([a, b], partitionsOf(topic.name, 4), 0);
      await Promise.all([a, b].map(async (c) => {
        for await (const m of c) seen.add(`${m.partitionId}/${m.offset}`);
      }));
      assert.equal(seen.size, 400);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    // Everything was committed (on stop at the latest): a new member of the
    // group finds nothing more to read.
    const c = topic.getBalancedConsumer({ ...opts, consumerTimeoutMs: 1500 });
    try {
      await c.start();
      assert.equal(await c.consume(), null);
      for (const [, held] of c.heldOffsets) assert.equal(held, 99);
    } finally {
      await c.stop();
      await client.deleteTopics([topic.name]).catch(() => {});
    }
  });
}
