/**
 * Exactly-once consume-transform-produce with a transactional producer:
 *
 * 1. orders are written to `orders` (plain producer, `produceBatch`);
 * 2. a SimpleConsumer of group `billing` reads them, a transactional
 *    client-level producer writes one invoice per order to `invoices` and an
 *    audit line to `audit` (two topics, one transaction), and the group's
 *    offsets go into the same transaction (`sendOffsetsToTransaction`):
 *    invoices, audit lines and offsets are committed together or not at
 *    all;
 * 3. one transaction is aborted on purpose: `read_committed` consumers
 *    never see its records, and its offsets are not committed, so the
 *    orders are read again and invoiced once.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/transactions.ts 127.0.0.1:9092
 * ```
 *
 * @module
 */
import { IsolationLevel, KafkaClient, OffsetType } from "../mod.ts";

const hosts = Deno.args[0] ?? "127.0.0.1:9092";
const enc = new TextEncoder();
const dec = new TextDecoder();
const id = crypto.randomUUID().slice(0, 8);
const names = {
  orders: `example-orders-${id}`,
  invoices: `example-invoices-${id}`,
  audit: `example-audit-${id}`,
};

await using client = await KafkaClient.connect({ hosts });
await client.createTopics(
  Object.values(names).map((name) => ({ name, numPartitions: 2 })),
);
try {
  const orders = await client.topics.get(names.orders);

  // 1. Thirty orders.
  {
    await using producer = orders.getProducer();
    await producer.produceBatch(
      Array.from({ length: 30 }, (_, i) => ({
        value: enc.encode(`order #${i}`),
        partitionKey: enc.encode(`customer-${i % 4}`),
      })),
    );
    await producer.flush();
  }

  // 2. Consume, transform, produce: ten orders per transaction.
  const group = `billing-${id}`;
  await using consumer = orders.getSimpleConsumer({
    consumerGroup: group,
    autoOffsetReset: OffsetType.EARLIEST,
    consumerTimeoutMs: 2000,
  });
  await using producer = client.getProducer({
    transactionalId: `example-billing-${id}`, // the same id after a restart
  });
  let round = 0;
  let invoiced = 0;
  for (;;) {
    const batch = [];
    for (let m; batch.length < 10 && (m = await consumer.consume());) {
      batch.push(m);
    }
    if (batch.length === 0) break;
    round++;
    await producer.beginTransaction();
    for (const m of batch) {
      const order = dec.decode(m.value!);
      await producer.produce(
        names.invoices,
        enc.encode(`invoice for ${order}`),
      );
      await producer.produce(names.audit, enc.encode(`${order} invoiced`));
    }
    await producer.sendOffsetsToTransaction(
      [...consumer.heldOffsets].filter(([, last]) => last >= 0)
        .map(([partition, last]) => ({
          topic: names.orders,
          partition,
          offset: last + 1, // the next order to read
        })),
      { groupId: group },
    );
    if (round === 2) {
      // 3. Something went wrong: nothing of this round counts.
      await producer.abortTransaction();
      console.log(`round 2: aborted ${batch.length} invoices`);
      // Rewind to what the group committed, and do the orders again.
      await consumer.fetchOffsets();
      continue;
    }
    await producer.commitTransaction();
    invoiced += batch.length;
    console.log(`round ${round}: committed ${batch.length} invoices`);
  }
  console.log(`${invoiced} orders invoiced in committed transactions`);

  // What a read_committed consumer of the invoices sees: each order once.
  const invoices = await client.topics.get(names.invoices);
  await using reader = invoices.getSimpleConsumer({
    isolationLevel: IsolationLevel.READ_COMMITTED,
    consumerTimeoutMs: 2000,
  });
  const seen = new Set<string>();
  let total = 0;
  for await (const m of reader) {
    seen.add(dec.decode(m.value!));
    total++;
  }
  console.log(
    `read_committed: ${total} invoices, ${seen.size} distinct (of 30 orders)`,
  );
} finally {
  await client.deleteTopics(Object.values(names));
}
