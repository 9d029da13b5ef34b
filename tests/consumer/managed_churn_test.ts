// Churn, against Kafka 3.9: three members consume 100 000 records while
// members are stopped and new ones started at random (seeded) points of
// the stream. Every record is consumed; a record consumed twice was first
// consumed by a member that departed afterwards (its window after its
// last commit), never by two members that both stayed.
import assert from "node:assert/strict";
import type { ManagedBalancedConsumer } from "../../mod.ts";
import { connect, createTopic, produceMany, uniqueName } from "./_helpers.ts";
import { prng } from "./_group.ts";
import { waitFor } from "../wait_for.ts";

const RECORDS = 100_000;
const PARTITIONS = 6;
const EVENTS = 8;
const SEED = 14;

Deno.test(`ManagedBalancedConsumer: churn: 3 members consume ${RECORDS} records while members stop and start at random (seed ${SEED}); every record consumed, duplicates only from departed members`, async () => {
  await using client = await connect("kafka39");
  const topic = await createTopic(client, "mchurn", {
    partitions: PARTITIONS,
  });
  await produceMany(topic, RECORDS, "c");
  const group = uniqueName("gchurn");
  const random = prng(SEED);
  /** `partition/offset` → the member that consumed it first. */
  const first = new Map<string, string>();
  const duplicates: { record: string; first: string; again: string }[] = [];
  const departed = new Set<string>();
  const errors: string[] = [];

  interface Slot {
    name: string;
    consumer: ManagedBalancedConsumer;
    loop: Promise<void>;
    stopping: boolean;
  }
  let serial = 0;
  const launch = async (): Promise<Slot> => {
    const name = `m${serial++}`;
    const consumer = topic.getBalancedConsumer({
      consumerGroup: group,
      managed: true,
      autoStart: false,
      heartbeatIntervalMs: 300,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 20_000,
      rebalanceBackoffMs: 200,
      autoCommitEnable: true,
      autoCommitIntervalMs: 500,
      fetchWaitMaxMs: 50,
    });
    await consumer.start();
    const slot: Slot = {
      name,
      consumer,
      loop: Promise.resolve(),
      stopping: false,
    };
    slot.loop = (async () => {
      while (!slot.stopping) {
        let m;
        try {
          m = await consumer.consume({ timeoutMs: 200 });
        } catch (e) {
          if (slot.stopping) break;
          errors.push(`${name}: ${(e as Error).message}`);
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        if (!m) continue;
        const key = `${m.partitionId}/${m.offset}`;
        const was = first.get(key);
        if (was === undefined) first.set(key, name);
        else duplicates.push({ record: key, first: was, again: name });
      }
    })();
    return slot;
  };
  const slots = await Promise.all([launch(), launch(), launch()]);
  try {
    for (let event = 0; event < EVENTS; event++) {
      // A random point of the stream, then a random member goes and a new
      // one comes (in a random order).
      const at = Math.floor(RECORDS * (event + random()) / (EVENTS + 1));
      await waitFor(() => first.size >= at, {
        timeoutMs: 120_000,
        intervalMs: 10,
        what: `${at} records consumed (event ${event})`,
      });
      const i = Math.floor(random() * slots.length);
      const old = slots[i];
      const stopFirst = random() < 0.5;
      const retire = async () => {
        departed.add(old.name);
        old.stopping = true;
        await old.consumer.stop();
        await old.loop;
      };
      if (stopFirst) {
        await retire();
        slots[i] = await launch();
      } else {
        const [fresh] = await Promise.all([launch(), retire()]);
        slots[i] = fresh;
      }
    }
    await waitFor(() => first.size >= RECORDS, {
      timeoutMs: 120_000,
      what: `every record consumed (${first.size} so far)`,
    });
  } finally {
    for (const s of slots) s.stopping = true;
    await Promise.all(slots.map((s) => s.consumer.stop()));
    await Promise.all(slots.map((s) => s.loop));
    await client.deleteTopics([topic.name]).catch(() => {});
  }
  console.log(
    `  ${first.size} records, ${serial} members in all, ${duplicates.length} consumed twice`,
  );
  assert.deepEqual(errors, []);
  assert.equal(first.size, RECORDS);
  const unexplained = duplicates.filter((d) => !departed.has(d.first));
  assert.deepEqual(
    unexplained.slice(0, 10),
    [],
    `${unexplained.length} duplicates whose first consumer stayed`,
  );
});
