// A transaction left open longer than transactionTimeoutMs is aborted by
// the coordinator; the producer's commit then fails for good (Kafka 3.9:
// ProducerFencedError, the epoch was bumped; Kafka 4.4 with transactions
// v2: InvalidTxnStateError), saying so, and nothing of it is ever visible
// to read_committed readers. (The coordinator looks for timed-out transactions every 10 s,
// so each case takes about that long; it has a file of its own to run
// beside the others.)
import assert from "node:assert/strict";
import { InvalidTxnStateError, ProducerFencedError } from "../../mod.ts";
import type { ClusterName } from "../cluster/mod.ts";
import { waitFor } from "../wait_for.ts";
import { connect, dropTopic, enc, newTopic, uniqueName } from "./_helpers.ts";
import { IsolationLevel, ourValues, stableAndEnd } from "./_txn_helpers.ts";

for (const which of ["kafka39", "kafka4"] as ClusterName[]) {
  Deno.test(`transactions (${which}): the coordinator aborts a transaction open past transactionTimeoutMs; commit fails for good, saying why`, async () => {
    await using client = await connect(which);
    const t = await newTopic(client, "txn-timeout", 1);
    try {
      await using producer = t.getProducer({
        transactionalId: uniqueName("txn-timeout"),
        transactionTimeoutMs: 1000,
      });
      await producer.beginTransaction();
      await producer.produce(enc.encode("too-slow"));
      await producer.flush();
      const open = await stableAndEnd(t, 0);
      assert.equal(open.stable, 0, "the open transaction holds the LSO");
      // The coordinator's abort marker moves the last stable offset.
      await waitFor(
        async () => (await stableAndEnd(t, 0)).stable > 0,
        { timeoutMs: 30_000, intervalMs: 250, what: "the timeout abort" },
      );
      const fatal = (e: unknown) =>
        (e instanceof ProducerFencedError ||
          e instanceof InvalidTxnStateError) &&
        /longer than transactionTimeoutMs 1000/.test(e.message);
      await assert.rejects(producer.commitTransaction(), fatal);
      await assert.rejects(producer.produce(enc.encode("after")), fatal);
      assert.deepEqual(
        await ourValues(t, IsolationLevel.READ_COMMITTED, 0),
        [],
      );
      await producer.stop().catch(() => {});
    } finally {
      await dropTopic(client, t.name);
    }
  });
}
