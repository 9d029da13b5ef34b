// Transactions against both local clusters: Kafka 3.9 (transactions v1:
// AddPartitionsToTxn, EndTxn v4) and Kafka 4.4 (KIP-890 transactions v2:
// no AddPartitionsToTxn, EndTxn v5 bumps the epoch). Committed records are
// visible to read_committed readers (our SimpleConsumer, the Java console
// consumer, kcat), aborted ones never; offsets sent with a transaction are
// committed with it; a second producer with the same transactionalId
// fences the first, which writes nothing more.
import assert from "node:assert/strict";
import { AddPartitionsToTxn, EndTxn, Produce } from "../../src/protocol/mod.ts";
import {
  IllegalGenerationError,
  InvalidTxnStateError,
  KafkaError,
  ProduceFailureError,
  ProducerFencedError,
  TransactionAbortedError,
  UnknownMemberIdError,
} from "../../mod.ts";
import type { KafkaClient, Topic } from "../../src/client/mod.ts";
import type { ClusterName } from "../cluster/mod.ts";
import { kcat } from "../cluster/interop.ts";
import { connect, dropTopic, enc, newTopic, uniqueName } from "./_helpers.ts";
import {
  IsolationLevel,
  javaReadCommitted,
  kcatReadCommitted,
  ourValues,
} from "./_txn_helpers.ts";
import { WireCounter } from "./_wire_counter.ts";
import { waitFor } from "../wait_for.ts";

const CLUSTERS: [ClusterName, string][] = [
  ["kafka39", "Kafka 3.9, transactions v1"],
  ["kafka4", "Kafka 4.4, transactions v2 (KIP-890)"],
];

/** Two one-partition topics with committed, aborted and committed transactions. */
async function writeTransactions(
  client: KafkaClient,
  which: ClusterName,
): Promise<{ a: Topic; b: Topic; committedA: string[]; committedB: string[] }> {
  const rf = which === "kafka39" ? 2 : 1;
  const a = await newTopic(client, "txn-a", 1, rf);
  const b = await newTopic(client, "txn-b", 1, rf);
  await using producer = client.getProducer({
    transactionalId: uniqueName("txn-writer"),
    deliveryReports: true,
  });
  // 1: committed, two topics.
  await producer.beginTransaction();
  for (let i = 1; i <= 5; i++) {
    await producer.produce(a.name, enc.encode(`c${i}`));
  }
  for (let i = 1; i <= 3; i++) {
    await producer.produce(b.name, enc.encode(`d${i}`));
  }
  await producer.commitTransaction();
  // 2: written, then aborted.
  await producer.beginTransaction();
  for (let i = 1; i <= 4; i++) {
    await producer.produce(a.name, enc.encode(`a${i}`));
  }
  await producer.produce(b.name, enc.encode("ab1"));
  await producer.flush(); // on the brokers before the abort
  await producer.abortTransaction();
  // 3: committed, through produceBatch.
  await producer.beginTransaction();
  await producer.produceBatch(
    ["c6", "c7", "c8"].map((v) => ({ topic: a, value: enc.encode(v) })),
  );
  await producer.produce(b, enc.encode("d4"));
  await producer.commitTransaction();
  assert.equal(producer.stats.delivered, 5 + 3 + 5 + 3 + 1);
  return {
    a,
    b,
    committedA: ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"],
    committedB: ["d1", "d2", "d3", "d4"],
  };
}

for (const [which, title] of CLUSTERS) {
  Deno.test(`transactions (${title}): committed records visible to read_committed readers (ours, Java), aborted ones never`, async () => {
    const wire = new WireCounter();
    wire.keep = new Set([Produce.apiKey, EndTxn.apiKey]);
    await using client = await connect(which, { transport: wire.transport });
    const { a, b, committedA, committedB } = await writeTransactions(
      client,
      which,
    );
    try {
      // The protocol of each transaction version, read off the wire.
      const adds = wire.of(AddPartitionsToTxn.apiKey).length;
      const ends = wire.of(EndTxn.apiKey);
      if (which === "kafka4") {
        assert.equal(adds, 0, "transactions v2 send no AddPartitionsToTxn");
        assert.ok(ends.every((r) => r.version >= 5), "EndTxn v5+");
        assert.ok(
          wire.of(Produce.apiKey).every((r) => r.version >= 12),
          "Produce v12+",
        );
      } else {
        assert.ok(adds >= 3, `${adds} AddPartitionsToTxn`);
        assert.ok(ends.every((r) => r.version <= 4), "EndTxn v4 or older");
        assert.ok(wire.of(Produce.apiKey).every((r) => r.version <= 11));
      }
      assert.equal(ends.length, 3);
      assert.deepEqual(
        await ourValues(a, IsolationLevel.READ_COMMITTED, 8),
        committedA,
      );
      assert.deepEqual(
        await ourValues(b, IsolationLevel.READ_COMMITTED, 4),
        committedB,
      );
      assert.deepEqual(
        await ourValues(a, IsolationLevel.READ_UNCOMMITTED, 12),
        [
          "c1",
          "c2",
          "c3",
          "c4",
          "c5",
          "a1",
          "a2",
          "a3",
          "a4",
          "c6",
          "c7",
          "c8",
        ],
      );
      // The Java client reading committed: the first 8 records it gets are
      // the committed ones (an aborted one would come before c6).
      assert.deepEqual(
        await javaReadCommitted(which, a.name, committedA.length),
        committedA,
      );
      assert.deepEqual(
        await javaReadCommitted(which, b.name, committedB.length),
        committedB,
      );
    } finally {
      await dropTopic(client, a.name);
      await dropTopic(client, b.name);
    }
  });

  kcat.test(`transactions (${title}): kcat with isolation.level=read_committed reads the committed records only`, async () => {
    await using client = await connect(which);
    const { a, b, committedA, committedB } = await writeTransactions(
      client,
      which,
    );
    try {
      assert.deepEqual(await kcatReadCommitted(which, a.name), committedA);
      assert.deepEqual(await kcatReadCommitted(which, b.name), committedB);
    } finally {
      await dropTopic(client, a.name);
      await dropTopic(client, b.name);
    }
  });

  Deno.test(`transactions (${title}): a second producer with the same transactionalId fences the first, which writes nothing more`, async () => {
    await using client1 = await connect(which);
    const wire = new WireCounter();
    await using client2 = await connect(which, { transport: wire.transport });
    const t = await newTopic(client1, "txn-fence", 1);
    const id = uniqueName("txn-fenced");
    try {
      await using first = t.getProducer({
        transactionalId: id,
        deliveryReports: true,
      });
      await first.beginTransaction();
      await first.produce(enc.encode("zombie-1"));
      await first.flush();
      // The second instance (another client, as after a restart) takes over.
      await using second = (await client2.topics.get(t.name)).getProducer({
        transactionalId: id,
      });
      await second.start();
      await assert.rejects(first.commitTransaction(), ProducerFencedError);
      await assert.rejects(
        first.produce(enc.encode("zombie-2")),
        ProducerFencedError,
      );
      await assert.rejects(first.beginTransaction(), ProducerFencedError);
      await assert.rejects(first.abortTransaction(), ProducerFencedError);
      await second.beginTransaction();
      await second.produce(enc.encode("second-1"));
      await second.commitTransaction();
      assert.deepEqual(
        await ourValues(t, IsolationLevel.READ_COMMITTED, 1),
        ["second-1"],
      );
      // The first one's record was aborted by the takeover; its later
      // record was never written.
      assert.deepEqual(
        await ourValues(t, IsolationLevel.READ_UNCOMMITTED, 2),
        ["zombie-1", "second-1"],
      );
      const err = await first.stop().then(() => null, (e) => e);
      assert.ok(err === null || err instanceof KafkaError);
    } finally {
      await dropTopic(client1, t.name);
    }
  });
}

Deno.test("transactions: offsets sent with a transaction are committed if and only if it commits (SimpleConsumer group)", async () => {
  await using client = await connect("kafka39");
  const input = await newTopic(client, "txn-in", 2, 2);
  const output = await newTopic(client, "txn-out", 2, 2);
  const group = uniqueName("txn-group");
  try {
    await using fill = input.getProducer({ lingerMs: 1 });
    for (let i = 0; i < 40; i++) {
      await fill.produce(enc.encode(`in${i}`), { partition: i % 2 });
    }
    await fill.flush();
    await using producer = client.getProducer({
      transactionalId: uniqueName("txn-offsets"),
    });
    await using consumer = input.getSimpleConsumer({
      consumerGroup: group,
      consumerTimeoutMs: 1000,
    });
    const step = async (n: number, commit: boolean) => {
      await producer.beginTransaction();
      for (let i = 0; i < n; i++) {
        const m = (await consumer.consume())!;
        await producer.produce(output.name, m.value, {
          partition: m.partitionId,
        });
      }
      await producer.sendOffsetsToTransaction(
        [...consumer.heldOffsets].filter(([, o]) => o >= 0).map((
          [partition, last],
        ) => ({ topic: input.name, partition, offset: last + 1 })),
        { groupId: group },
      );
      if (commit) await producer.commitTransaction();
      else await producer.abortTransaction();
    };
    // The group's stable offsets (requireStable: a transaction's offsets
    // show once its markers are written; UNSTABLE_OFFSET_COMMIT until then).
    const committed = () =>
      waitFor(async () => {
        const coordinator = await client.cluster.getGroupCoordinator(group);
        const res = await coordinator.fetchConsumerGroupOffsets(
          group,
          [{ topic: input.name, partitions: [0, 1] }],
          { requireStable: true },
        );
        if (res.partitions.some((p) => p.errorCode !== 0)) return undefined;
        return {
          sum: res.partitions.reduce((s, p) => s + Math.max(0, p.offset), 0),
        };
      }, { timeoutMs: 20_000, what: "stable group offsets" }).then((r) =>
        r!.sum
      );
    await step(10, true);
    assert.equal(await committed(), 10);
    await step(10, false);
    assert.equal(await committed(), 10, "aborted: the offsets stay");
    await step(20, true);
    assert.equal(await committed(), 40);
    const out = await ourValues(output, IsolationLevel.READ_COMMITTED, 30);
    assert.equal(out.length, 30);
    // KIP-447: a member id and generation the group does not know are
    // refused, and the transaction can then only be aborted.
    await producer.beginTransaction();
    await assert.rejects(
      producer.sendOffsetsToTransaction(
        [{ topic: input.name, partition: 0, offset: 1 }],
        { groupId: group, generationId: 7, memberId: "not-a-member" },
      ),
      (e: unknown) =>
        e instanceof UnknownMemberIdError ||
        e instanceof IllegalGenerationError,
    );
    await assert.rejects(producer.commitTransaction(), ProduceFailureError);
    await producer.abortTransaction();
    assert.equal(await committed(), 40);
  } finally {
    await dropTopic(client, input.name);
    await dropTopic(client, output.name);
  }
});

Deno.test("transactions: calls out of order and bad arguments fail clearly", async () => {
  await using client = await connect("kafka39");
  const t = await newTopic(client, "txn-state", 1);
  try {
    assert.throws(
      () => t.getProducer({ transactionalId: "x", requiredAcks: 1 }),
      RangeError,
    );
    assert.throws(
      () => t.getProducer({ transactionalId: "x", idempotent: false }),
      RangeError,
    );
    assert.throws(() => t.getProducer({ transactionalId: "" }), RangeError);
    assert.throws(
      () => t.getProducer({ transactionTimeoutMs: "1" as unknown as number }),
      TypeError,
    );
    await using plain = t.getProducer();
    await assert.rejects(plain.beginTransaction(), InvalidTxnStateError);
    await using p = t.getProducer({
      transactionalId: uniqueName("txn-state"),
      deliveryReports: true,
    });
    await assert.rejects(p.produce(enc.encode("x")), InvalidTxnStateError);
    await assert.rejects(p.commitTransaction(), InvalidTxnStateError);
    await assert.rejects(p.abortTransaction(), InvalidTxnStateError);
    await p.beginTransaction();
    await assert.rejects(p.beginTransaction(), InvalidTxnStateError);
    await assert.rejects(
      p.sendOffsetsToTransaction(
        [{ topic: t.name, partition: -1, offset: 0 }],
        { groupId: "g" },
      ),
      RangeError,
    );
    await assert.rejects(
      p.sendOffsetsToTransaction([], { groupId: 5 as unknown as string }),
      TypeError,
    );
    await assert.rejects(
      p.commitTransaction({ timeoutMs: "soon" as unknown as number }),
      TypeError,
    );
    // Records not sent when the transaction is aborted fail with
    // TransactionAbortedError; the producer goes on.
    await using slow = t.getProducer({
      transactionalId: uniqueName("txn-abort-unsent"),
      deliveryReports: true,
      lingerMs: 60_000,
    });
    await slow.beginTransaction();
    assert.equal(slow.transactionState, "in-transaction");
    await slow.produce(enc.encode("never"));
    await slow.abortTransaction();
    assert.equal(slow.transactionState, "ready");
    const [, err] = (await slow.getDeliveryReport({ timeoutMs: 5000 }))!;
    assert.ok(err instanceof TransactionAbortedError);
    // Without delivery reports the abort is the report: flush() and stop()
    // do not throw for records of an aborted transaction.
    await using quiet = t.getProducer({
      transactionalId: uniqueName("txn-abort-quiet"),
      lingerMs: 60_000,
    });
    await quiet.beginTransaction();
    await quiet.produce(enc.encode("never"));
    await quiet.abortTransaction();
    await quiet.flush();
    assert.equal(quiet.stats.failed, 1);
    await quiet.stop();
    // An empty transaction commits without a round trip.
    await slow.beginTransaction();
    await slow.commitTransaction();
    await slow.beginTransaction();
    await slow.produce(enc.encode("kept"));
    await slow.commitTransaction();
    assert.deepEqual(
      await ourValues(t, IsolationLevel.READ_COMMITTED, 1),
      ["kept"],
    );
    // stop() aborts an open transaction.
    await p.produce(enc.encode("dropped"));
    await p.stop();
    assert.deepEqual(
      await ourValues(t, IsolationLevel.READ_COMMITTED, 1),
      ["kept"],
    );
  } finally {
    await dropTopic(client, t.name);
  }
});
