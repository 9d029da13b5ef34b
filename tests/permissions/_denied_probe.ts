// Run by permissions_test.ts with `--allow-net=<broker 1 only>`: connects
// through broker 1, then does what needs broker 2 (the leader of partition 1
// of the topic, the coordinator of the group, a member of the cluster) and
// prints one JSON line per step: how long it took and what it threw. A
// group given as "-" skips the steps that need it.
//
// deno run --allow-net=127.0.0.1:19192 tests/permissions/_denied_probe.ts \
//   127.0.0.1:19192 <topic> <group coordinated by broker 2> \
//   <group coordinated by broker 1, with an offset committed for partition 1>
import { KafkaClient } from "../../mod.ts";

const [hosts, topicName, group, committedGroup] = Deno.args;
const SOCKET_TIMEOUT_MS = 5000;

function report(step: string, started: number, error?: unknown): void {
  const chain: string[] = [];
  for (let e = error; e !== undefined && chain.length < 8;) {
    chain.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  console.log(JSON.stringify({
    step,
    ms: Date.now() - started,
    ok: error === undefined,
    errors: chain,
  }));
}

async function step(name: string, fn: () => Promise<unknown>): Promise<void> {
  const t = Date.now();
  try {
    await fn();
    report(name, t);
  } catch (e) {
    report(name, t, e);
  }
}

const client = await KafkaClient.connect({
  hosts,
  socketTimeoutMs: SOCKET_TIMEOUT_MS,
  metadataRefreshIntervalMs: 0,
});
try {
  const topic = await client.topics.get(topicName, { autoCreate: false });
  await step("produce to partition 1", async () => {
    const p = topic.getSyncProducer({ pendingTimeoutMs: 60_000 });
    try {
      await p.produce(new Uint8Array([1]), { partition: 1 });
    } finally {
      await p.stop().catch(() => {});
    }
  });
  await step("consume partition 1", async () => {
    const c = topic.getSimpleConsumer({
      partitions: [1],
      consumerTimeoutMs: 30_000,
    });
    try {
      await c.consume();
    } finally {
      await c.stop().catch(() => {});
    }
  });
  if (committedGroup !== "-") {
    await step("consume partition 1 from a committed offset", async () => {
      // No offset lookup first: the fetch loop is the first to need broker 2.
      const c = topic.getSimpleConsumer({
        partitions: [1],
        consumerGroup: committedGroup,
        consumerTimeoutMs: 30_000,
      });
      try {
        await c.consume();
      } finally {
        await c.stop().catch(() => {});
      }
    });
  }
  if (group !== "-") {
    await step("commit to a group on broker 2", async () => {
      const c = topic.getSimpleConsumer({
        partitions: [0],
        consumerGroup: group,
        autoStart: false,
      });
      try {
        await c.start();
        await c.commitOffsets();
      } finally {
        await c.stop().catch(() => {});
      }
    });
  }
  await step("listGroups", () => client.listGroups());
  if (group !== "-") {
    await step("describeGroups", () => client.describeGroups([group]));
  }
  await step(
    "consumerGroupLag",
    () => client.consumerGroupLag(group, topicName),
  );
  await step(
    "createTopics",
    () =>
      client.createTopics([{
        name: `${topicName}-more`,
        replicaAssignment: [[2]],
      }]),
  );
} finally {
  await client.close();
}
