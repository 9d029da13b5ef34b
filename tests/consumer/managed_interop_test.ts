// Mixed consumer groups: a ManagedBalancedConsumer shares one group with the
// Java console consumer (the Kafka 3.9 distribution's KafkaConsumer) and with
// kcat in group mode (librdkafka), on Kafka 3.9's classic protocol; and with
// the Java console consumer on Kafka 4.x's KIP-848 protocol
// (group.protocol=consumer, the broker's range assignor).
// Each time: the partitions are split 2/2 (range, which every
// peer offers), the two members' sets are disjoint and cover the topic, what
// each consumes comes from its own partitions only; when the peer leaves,
// ours takes over its partitions at the offsets the peer committed; after
// ours commits and stops, the peer resumes at ours' commits.
import assert from "node:assert/strict";
import {
  type ManagedBalancedConsumer,
  OffsetType,
  type Topic,
} from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import { interopTest } from "../cluster/interop.ts";
import { java, run } from "../cluster/tools.ts";
import { connect, createTopic, rec, uniqueName } from "./_helpers.ts";
import { describeGroup, Ownership, partitionsOf, settled } from "./_group.ts";
import { produceTo } from "../client/_helpers.ts";
import { waitFor } from "../wait_for.ts";

const PARTITIONS = 4;
/** Records produced per partition in each round. */
const K = 25;

/** A peer member: runs until it has consumed `max` records, then leaves. */
type Peer = (group: string, topic: string, max: number) => Promise<string>;

/** `partition offset value` per line, whichever tool printed it. */
function parse(out: string): { partition: number; offset: number }[] {
  return out.trim().split("\n").filter((l) => l !== "").map((line) => {
    const m = /^(?:Partition:)?(\d+)\s+(?:Offset:)?(\d+)\s/.exec(line);
    assert.ok(m, `unexpected peer output line ${JSON.stringify(line)}`);
    return { partition: Number(m[1]), offset: Number(m[2]) };
  });
}

const bootstrap = cluster.bootstrap("kafka39", "PLAINTEXT");

/** The Java console consumer, with `properties` for its group membership. */
const javaConsole = (server: string, properties: string[]): Peer =>
(
  group,
  topic,
  max,
) =>
  java("org.apache.kafka.tools.consumer.ConsoleConsumer", [
    "--bootstrap-server",
    server,
    "--topic",
    topic,
    "--group",
    group,
    "--max-messages",
    String(max),
    "--timeout-ms",
    "90000",
    "--consumer-property",
    "auto.offset.reset=earliest",
    ...properties.flatMap((p) => ["--consumer-property", p]),
    "--property",
    "print.partition=true",
    "--property",
    "print.offset=true",
  ]);

const javaPeer = javaConsole(bootstrap, [
  "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor",
]);

/** KIP-848: the Kafka 3.9 client's new group protocol, on Kafka 4.x. */
const javaKip848Peer = javaConsole(cluster.bootstrap("kafka4", "PLAINTEXT"), [
  "group.protocol=consumer",
  "group.remote.assignor=range",
]);

const kcatPeer: Peer = (group, topic, max) =>
  run(
    "kcat",
    [
      "-b",
      bootstrap,
      "-G",
      group,
      "-c",
      String(max),
      "-q",
      "-f",
      "%p %o %s\n",
      "-X",
      "auto.offset.reset=earliest",
      "-X",
      "partition.assignment.strategy=range",
      topic,
    ],
    undefined,
    120_000,
  );

async function produceRound(topic: Topic, round: number): Promise<void> {
  await Promise.all(
    Array.from({ length: PARTITIONS }, (_, p) =>
      produceTo(
        topic,
        p,
        Array.from({ length: K }, (_, i) => rec(`r${round}-p${p}-${i}`)),
      )),
  );
}

/** Consumes `n` messages (then, with `exact`, checks nothing more comes). */
async function take(
  m: ManagedBalancedConsumer,
  n: number,
  exact = true,
): Promise<{ partition: number; offset: number }[]> {
  const got: { partition: number; offset: number }[] = [];
  while (got.length < n) {
    const msg = await m.consume({ timeoutMs: 30_000 });
    assert.ok(msg, `only ${got.length} of ${n} messages came`);
    got.push({ partition: msg.partitionId, offset: msg.offset });
  }
  if (exact) {
    const extra = await m.consume({ timeoutMs: 1000 });
    assert.equal(
      extra,
      null,
      `no extra message: ${extra?.partitionId}/${extra?.offset}`,
    );
  }
  return got;
}

async function mixedGroup(
  name: string,
  peer: Peer,
  protocol: "classic" | "consumer" = "classic",
): Promise<void> {
  await using client = await connect(
    protocol === "classic" ? "kafka39" : "kafka4",
  );
  const topic = await createTopic(client, `mix-${name}`, {
    partitions: PARTITIONS,
  });
  const group = uniqueName(`gmix-${name}`);
  const own = new Ownership();
  const ours = topic.getBalancedConsumer({
    consumerGroup: group,
    managed: true,
    autoStart: false,
    groupProtocol: protocol,
    ...(protocol === "consumer" ? { serverAssignor: "range" } : {}),
    heartbeatIntervalMs: 300,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    rebalanceBackoffMs: 200,
    fetchWaitMaxMs: 50,
    autoOffsetReset: OffsetType.EARLIEST,
    // Revoked partitions are committed first (eager: the peer's leaving
    // revokes everything); no periodic commits.
    autoCommitEnable: true,
    autoCommitIntervalMs: 600_000,
    rebalanceListener: own.listener("ours"),
  });
  const all = partitionsOf(topic.name, PARTITIONS);
  try {
    await ours.start();
    await settled([ours], all, 0);
    // The peer joins; it will take 2 partitions (range: 4 over 2 members).
    const peerDone = peer(group, topic.name, 2 * K);
    peerDone.catch(() => {});
    if (protocol === "classic") {
      const desc = await waitFor(async () => {
        const d = await describeGroup(client, group);
        return d.state === "Stable" && d.members.length === 2 &&
            d.members.every((m) => m.assigned.length === 2) &&
            ours.assignment.length === 2
          ? d
          : undefined;
      }, { timeoutMs: 90_000, what: "the mixed group to settle 2/2" });
      assert.equal(desc.protocol, "range");
      const flat = desc.members.flatMap((m) => m.assigned).sort();
      assert.deepEqual(flat, [...all].sort(), "disjoint, covering the topic");
    } else {
      // The broker assigns (KIP-848): ours gives up two partitions; the
      // peer's records below show it holds the other two.
      await waitFor(() => ours.assignment.length === 2, {
        timeoutMs: 90_000,
        what: "the broker to give the peer 2 of ours' 4 partitions",
      });
    }
    const mine = ours.assignment.map((tp) => tp.partition).sort();
    const theirs = [0, 1, 2, 3].filter((p) => !mine.includes(p));

    // Round 0: each side gets its own partitions' records, all of them.
    await produceRound(topic, 0);
    // (Not exact: the peer may be done and gone, its partitions ours.)
    const ourRound0 = await take(ours, 2 * K, false);
    assert.ok(ourRound0.every((r) => mine.includes(r.partition)));
    // Before the peer leaves: its leaving revokes every partition (eager),
    // and partitions come back at their committed offsets.
    await ours.commitOffsets();
    const peerRound0 = parse(await peerDone);
    assert.equal(peerRound0.length, 2 * K);
    assert.ok(
      peerRound0.every((r) => theirs.includes(r.partition)),
      `the peer consumed only ${theirs}: ${JSON.stringify(peerRound0)}`,
    );
    const seen = new Set(
      [...ourRound0, ...peerRound0].map((r) => `${r.partition}/${r.offset}`),
    );
    assert.equal(seen.size, PARTITIONS * K, "every record once");

    // The peer left (committing): ours takes every partition and resumes
    // the peer's at its commits.
    await settled([ours], all, 0);
    await produceRound(topic, 1);
    const round1 = await take(ours, PARTITIONS * K);
    assert.ok(
      round1.every((r) => r.offset >= K && r.offset < 2 * K),
      `round 1 only: ${JSON.stringify(round1.filter((r) => r.offset < K))}`,
    );
    await ours.commitOffsets();
  } finally {
    await ours.stop();
  }
  assert.deepEqual(own.violations, [], own.events.join("\n"));
  try {
    // Ours committed and left: the peer, alone, resumes at ours' commits.
    await produceRound(topic, 2);
    const last = parse(await peer(group, topic.name, PARTITIONS * K));
    assert.ok(
      last.every((r) => r.offset >= 2 * K && r.offset < 3 * K),
      `the peer resumed at ours' commits: ${
        JSON.stringify(last.filter((r) => r.offset < 2 * K))
      }`,
    );
    assert.equal(
      new Set(last.map((r) => `${r.partition}/${r.offset}`)).size,
      PARTITIONS * K,
    );
  } finally {
    await client.deleteTopics([topic.name]).catch(() => {});
  }
}

Deno.test("ManagedBalancedConsumer: one group with the Java console consumer: 2/2, disjoint, covering; commits resume on the other side", async () => {
  await mixedGroup("java", javaPeer);
});

Deno.test("ManagedBalancedConsumer (KIP-848, Kafka 4.x): one group with the Java console consumer (group.protocol=consumer): 2/2, disjoint, covering; commits resume on the other side", async () => {
  await mixedGroup("java848", javaKip848Peer, "consumer");
});

interopTest(
  ["kcat"],
  "ManagedBalancedConsumer: one group with kcat -G (librdkafka): 2/2, disjoint, covering; commits resume on the other side",
  () => mixedGroup("kcat", kcatPeer),
);
