// Incremental rebalancing and commits racing a rebalance, against Kafka
// 3.9: with cooperative-sticky the partitions a member keeps go on
// delivering while a newcomer joins (measured beside eager range, where
// every member stops); and a commit made while the group is between
// JoinGroup and SyncGroup is retried after the rejoin for the partitions
// still held and reports those that moved (a raw protocol member leads the
// group so the test controls when SyncGroup completes).
import assert from "node:assert/strict";
import {
  CooperativeStickyAssignor,
  type ManagedBalancedConsumer,
  type ManagedBalancedConsumerOptions,
  RangeProtocol,
  type TopicPartition,
} from "../../mod.ts";
import {
  JoinGroup,
  type JoinGroupResponse,
  LeaveGroup,
  SyncGroup,
} from "../../src/protocol/mod.ts";
import type { ManagedConnection } from "../../src/network/mod.ts";
import type { Broker } from "../../src/cluster/mod.ts";
import type { KafkaClient, Topic } from "../../src/client/mod.ts";
import {
  encodeAssignment,
  encodeSubscription,
} from "../../src/consumer/_consumer_protocol.ts";
import {
  connect,
  createTopic,
  produceMany,
  rec,
  uniqueName,
} from "./_helpers.ts";
import { Ownership, partitionsOf, settled } from "./_group.ts";
import { produceTo } from "../client/_helpers.ts";
import { waitFor } from "../wait_for.ts";

function options(
  group: string,
  extra: Partial<ManagedBalancedConsumerOptions> = {},
): ManagedBalancedConsumerOptions & { managed: true } {
  return {
    consumerGroup: group,
    managed: true,
    heartbeatIntervalMs: 200,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 20_000,
    rebalanceBackoffMs: 200,
    fetchWaitMaxMs: 20,
    ...extra,
  };
}

/**
 * Two members consume a topic fed continuously; a third joins. Returns,
 * for the first member, how many messages of the partitions it kept came
 * in while the third was joining, and the longest pause in them.
 */
async function measure(
  client: KafkaClient,
  protocol: "cooperative" | "eager",
): Promise<
  {
    kept: number;
    during: number;
    longestGapMs: number;
    windowMs: number;
    revokedKept: boolean;
  }
> {
  const topic = await createTopic(client, `mcoop-${protocol}`, {
    partitions: 6,
  });
  const group = uniqueName(`gcoop-${protocol}`);
  const own = new Ownership();
  const make = (name: string, autoStart = true) =>
    topic.getBalancedConsumer(options(group, {
      autoStart,
      membershipProtocol: protocol === "cooperative"
        ? CooperativeStickyAssignor
        : RangeProtocol,
      rebalanceListener: own.listener(name),
    }));
  const a = make("a");
  const b = make("b");
  const c = make("c", false);
  const stop = new AbortController();
  const arrivals: { partition: number; at: number }[] = [];
  const feeding = (async () => {
    for (let i = 0; !stop.signal.aborted; i++) {
      await Promise.all(
        [0, 1, 2, 3, 4, 5].map((p) => produceTo(topic, p, [rec(`x${i}`)])),
      );
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const drain = (m: ManagedBalancedConsumer, log?: typeof arrivals) =>
    (async () => {
      while (!stop.signal.aborted) {
        // A failing consume() (c before its start) must not spin: it would
        // starve the timers.
        const msg = await m.consume({ timeoutMs: 100 }).catch(() =>
          new Promise<null>((r) => setTimeout(() => r(null), 50))
        );
        if (msg && log) {
          log.push({ partition: msg.partitionId, at: Date.now() });
        }
      }
    })();
  const all = partitionsOf(topic.name, 6);
  try {
    await Promise.all([a.start(), b.start()]);
    await settled([a, b], all, 0);
    const loops = [drain(a, arrivals), drain(b)];
    const before = new Set(a.assignment.map((p) => p.partition));
    await waitFor(() => arrivals.length > 50, { what: "a steady flow" });
    const t0 = Date.now();
    await c.start();
    loops.push(drain(c));
    await settled([a, b, c], all, 0);
    const t1 = Date.now();
    const after = new Set(a.assignment.map((p) => p.partition));
    const kept = [...before].filter((p) => after.has(p));
    stop.abort();
    await Promise.all([...loops, feeding]);
    const during = arrivals.filter((x) =>
      kept.includes(x.partition) && x.at >= t0 && x.at <= t1
    ).map((x) => x.at);
    let longestGapMs = 0;
    let prev = t0;
    for (const at of [...during, t1]) {
      longestGapMs = Math.max(longestGapMs, at - prev);
      prev = at;
    }
    const revokedKept = own.events.some((e) =>
      e.startsWith("a -") &&
      kept.some((p) => e.includes(`${topic.name}/${p}`))
    );
    return {
      kept: kept.length,
      during: during.length,
      longestGapMs,
      windowMs: t1 - t0,
      revokedKept,
    };
  } finally {
    stop.abort();
    await feeding.catch(() => {});
    await Promise.all([a.stop(), b.stop(), c.stop()]);
    await client.deleteTopics([topic.name]).catch(() => {});
  }
}

Deno.test("ManagedBalancedConsumer: with cooperative-sticky the partitions a member keeps go on delivering while a member joins (measured beside eager range)", async () => {
  await using client = await connect("kafka39");
  const coop = await measure(client, "cooperative");
  const eager = await measure(client, "eager");
  console.log(
    `  cooperative: ${coop.kept} partitions kept, ${coop.during} of their messages during the ${coop.windowMs} ms join, longest pause ${coop.longestGapMs} ms; eager: ${eager.during} messages during the ${eager.windowMs} ms join, longest pause ${eager.longestGapMs} ms`,
  );
  assert.equal(coop.kept, 2, "a keeps 2 of its 3 partitions");
  assert.equal(coop.revokedKept, false, "kept partitions are never revoked");
  assert.ok(coop.during > 0, "kept partitions delivered during the rebalance");
  // Eager gives everything up while the group rebalances.
  assert.ok(eager.revokedKept, "eager revokes every partition");
});

/**
 * A group member spoken with raw requests (the test's leader): it owns
 * nothing and decides the assignment.
 */
class RawLeader {
  memberId = "";
  generation = -1;
  readonly #conn: ManagedConnection;
  readonly #coordinator: Broker;
  readonly #lane = `raw-leader-${crypto.randomUUID()}`;

  constructor(
    coordinator: Broker,
    readonly group: string,
    readonly topic: Topic,
  ) {
    this.#coordinator = coordinator;
    this.#conn = coordinator.groupConnection(this.#lane);
  }

  async join(): Promise<JoinGroupResponse> {
    for (;;) {
      const res = await this.#conn.send(JoinGroup, {
        groupId: this.group,
        sessionTimeoutMs: 30_000,
        rebalanceTimeoutMs: 30_000,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: "consumer",
        protocols: [{
          name: "cooperative-sticky",
          metadata: encodeSubscription({
            topics: [this.topic.name],
            userData: null,
            ownedPartitions: [],
            generationId: this.generation,
            rackId: null,
          }),
        }],
      }, { timeoutMs: 60_000 });
      if (res.errorCode === 79) {
        this.memberId = res.memberId;
        continue;
      }
      assert.equal(res.errorCode, 0, `raw JoinGroup: ${res.errorCode}`);
      this.memberId = res.memberId;
      this.generation = res.generationId;
      assert.equal(res.leader, this.memberId, "the raw member leads");
      return res;
    }
  }

  async sync(assignments: Map<string, TopicPartition[]>): Promise<void> {
    const res = await this.#conn.send(SyncGroup, {
      groupId: this.group,
      generationId: this.generation,
      memberId: this.memberId,
      groupInstanceId: null,
      protocolType: "consumer",
      protocolName: "cooperative-sticky",
      assignments: [...assignments].map(([memberId, tps]) => ({
        memberId,
        assignment: encodeAssignment(tps),
      })),
    }, { timeoutMs: 30_000 });
    assert.equal(res.errorCode, 0, `raw SyncGroup: ${res.errorCode}`);
  }

  async leave(): Promise<void> {
    await this.#conn.send(LeaveGroup, {
      groupId: this.group,
      members: [{ memberId: this.memberId, groupInstanceId: null }],
    }).catch(() => {});
    await this.#coordinator.closeGroupConnection(this.#lane);
  }
}

Deno.test("ManagedBalancedConsumer: a commit racing a rebalance is retried after the rejoin for the partitions still held, and reports those that moved", async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "mrace", { partitions: 4 });
  await produceMany(topic, 40, "r");
  const group = uniqueName("grace");
  const leader = new RawLeader(
    await client.cluster.getGroupCoordinator(group),
    group,
    topic,
  );
  const a = topic.getBalancedConsumer(options(group, {
    autoStart: false,
    membershipProtocol: CooperativeStickyAssignor,
  }));
  const tp = (partition: number) => ({ topic: topic.name, partition });
  try {
    await leader.join();
    await leader.sync(new Map([[leader.memberId, []]]));
    // a joins (the group waits in PreparingRebalance for the leader); the
    // raw leader rejoins and gives it everything.
    const started = a.start();
    const coordinator = await client.cluster.getGroupCoordinator(group);
    await waitFor(
      async () =>
        (await coordinator.describeGroups([group])).groups[0].groupState ===
          "PreparingRebalance",
      { what: "a's JoinGroup to start a rebalance" },
    );
    const second = await leader.join();
    const aId = second.members.find((m) => m.memberId !== leader.memberId)!
      .memberId;
    await leader.sync(
      new Map([[leader.memberId, []], [aId, [0, 1, 2, 3].map(tp)]]),
    );
    await started;
    assert.equal(a.assignment.length, 4);
    for (let i = 0; i < 40; i++) {
      assert.ok(await a.consume({ timeoutMs: 5000 }));
    }
    const held = a.heldOffsets;
    assert.deepEqual([...held.values()], [9, 9, 9, 9]);
    // A new rebalance: a rejoins (keeping its partitions: cooperative);
    // the leader holds SyncGroup back, so the group waits between join and
    // sync while a commits.
    const generation = a.generationId;
    const third = leader.join();
    await waitFor(() => a.generationId > generation, {
      what: "a to have joined the next generation",
    });
    const third_ = await third;
    const commit = a.commitOffsets();
    commit.catch(() => {});
    await waitFor(() => a.membershipStats!.commitRebalanceErrors >= 1, {
      what: "the coordinator to refuse the commit (rebalance in progress)",
    });
    // The leader lets a keep partitions 0 and 1; 2 and 3 move (nowhere yet).
    assert.equal(third_.generationId, a.generationId);
    await leader.sync(
      new Map([[leader.memberId, []], [aId, [tp(0), tp(1)]]]),
    );
    await assert.rejects(
      commit,
      (e: Error) =>
        /the offsets of .*\/2, .*\/3 were not committed: a rebalance moved those partitions.*\/0, .*\/1 were committed/
          .test(e.message),
    );
    const stored = await coordinator.fetchConsumerGroupOffsets(group, [
      { topic: topic.name, partitions: [0, 1, 2, 3] },
    ]);
    const byPartition = new Map(
      stored.partitions.map((p) => [p.partition, p.offset]),
    );
    assert.equal(byPartition.get(0), held.get(0)! + 1);
    assert.equal(byPartition.get(1), held.get(1)! + 1);
    assert.equal(byPartition.get(2), -1);
    assert.equal(byPartition.get(3), -1);
  } finally {
    await leader.leave();
    await a.stop();
    await client.deleteTopics([topic.name]).catch(() => {});
  }
});
