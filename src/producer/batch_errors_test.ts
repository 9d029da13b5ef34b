// What the produce engine does with a refused batch: the decision alone
// (batchErrorAction), for each kind of error and producer.
import assert from "node:assert/strict";
import {
  errorForCode,
  InvalidProducerEpochError,
  ProducerFencedError,
} from "../errors/mod.ts";
import type { ClusterTopic } from "../cluster/mod.ts";
import { Batch, PartitionState, TopicState } from "./_batch.ts";
import { batchErrorAction } from "./_batch_errors.ts";
import { Idempotence } from "./_idempotence.ts";

const OUT_OF_ORDER = 45;
const UNKNOWN_PRODUCER_ID = 59;
const MESSAGE_TOO_LARGE = 10;
const NOT_LEADER = 6;
const INVALID_RECORD = 87;

function setup(idempotent: boolean) {
  const ts = new TopicState({ name: "t" } as unknown as ClusterTopic);
  const ps = new PartitionState(ts, 0);
  const idem = new Idempotence({
    init: () => Promise.resolve({ id: 7, epoch: 0 }),
    inFlight: () => 0,
    resetDone: () => {},
    resetFailed: () => {},
  });
  if (idempotent) {
    idem.set({ id: 7, epoch: 0 });
    idem.enabled = true;
  }
  const batch = (serial: number, count = 2) => {
    const b = new Batch(ps, null, serial, 0, 0);
    b.count = count;
    if (idempotent) {
      b.producerId = 7;
      b.producerEpoch = 0;
      b.baseSequence = serial * 10;
    }
    return b;
  };
  return { ps, idem, batch };
}

Deno.test("batchErrorAction: plain producer: retriable, split, fail", () => {
  const { idem, batch } = setup(false);
  const b = batch(0);
  assert.equal(
    batchErrorAction(b, errorForCode(NOT_LEADER), idem, false),
    "retry",
  );
  assert.equal(
    batchErrorAction(b, errorForCode(MESSAGE_TOO_LARGE), idem, false),
    "split",
  );
  assert.equal(
    batchErrorAction(batch(1, 1), errorForCode(MESSAGE_TOO_LARGE), idem, false),
    "fail",
    "a single record too large cannot be split",
  );
  assert.equal(
    batchErrorAction(b, errorForCode(INVALID_RECORD), idem, false),
    "fail",
  );
  assert.equal(batchErrorAction(b, new Error("boom"), idem, false), "fail");
});

Deno.test("batchErrorAction: idempotent producer: reset, wait for an earlier batch, resequence", () => {
  const { ps, idem, batch } = setup(true);
  const first = batch(0);
  const second = batch(1);
  assert.equal(
    batchErrorAction(first, errorForCode(UNKNOWN_PRODUCER_ID), idem, false),
    "reset",
  );
  ps.inFlight.push(first);
  assert.equal(
    batchErrorAction(second, errorForCode(OUT_OF_ORDER), idem, false),
    "wait",
    "the earlier batch in flight failed first",
  );
  ps.inFlight.length = 0;
  assert.equal(
    batchErrorAction(second, errorForCode(OUT_OF_ORDER), idem, false),
    "reset",
  );
  idem.set({ id: 8, epoch: 0 });
  assert.equal(
    batchErrorAction(second, errorForCode(NOT_LEADER), idem, false),
    "resequence",
    "sent under a producer id that was replaced",
  );
});

Deno.test("batchErrorAction: transactional producer: fenced is fatal, lost sequences abort the transaction", () => {
  const { idem, batch } = setup(true);
  const b = batch(0);
  assert.equal(
    batchErrorAction(b, new ProducerFencedError(), idem, true),
    "fatal",
  );
  assert.equal(
    batchErrorAction(b, new InvalidProducerEpochError(), idem, true),
    "fatal",
  );
  assert.equal(
    batchErrorAction(b, errorForCode(UNKNOWN_PRODUCER_ID), idem, true),
    "abort-only",
  );
  assert.equal(
    batchErrorAction(b, errorForCode(NOT_LEADER), idem, true),
    "retry",
  );
});
