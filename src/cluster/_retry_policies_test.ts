import assert from "node:assert/strict";
import { KafkaError } from "../errors/kafka_error.ts";
import { RetrySchedule } from "../util/retry.ts";
import {
  INIT_PRODUCER_ID_MIN_ATTEMPTS,
  offsetsChannelPolicy,
  producerPolicy,
  RETRY_POLICIES,
} from "./_retry_policies.ts";

const busy = () => new KafkaError("busy", { retriable: true });

/** Every delay a policy gives until it gives up. */
function delays(policy: ConstructorParameters<typeof RetrySchedule>[0]) {
  const s = new RetrySchedule(policy);
  const out: number[] = [];
  for (let d = s.next(busy()); d !== undefined; d = s.next(busy())) {
    out.push(d);
  }
  return out;
}

Deno.test("offsets channel policy: pykafka's linear backoff, retry i waits i × backoffMs, retries + 1 attempts, no cap", () => {
  assert.deepEqual(
    delays(offsetsChannelPolicy(5, 1000)),
    [1000, 2000, 3000, 4000, 5000],
  );
  assert.deepEqual(delays(offsetsChannelPolicy(20, 1000)).at(-1), 20_000);
  assert.deepEqual(delays(offsetsChannelPolicy(0, 1000)), []);
});

Deno.test("producer policy: retryBackoffMs doubling up to 10x, maxRetries + 1 attempts, InitProducerId at least 4", () => {
  assert.deepEqual(
    delays(producerPolicy(6, 100)),
    [100, 200, 400, 800, 1000, 1000],
  );
  const init = producerPolicy(0, 100, INIT_PRODUCER_ID_MIN_ATTEMPTS);
  assert.equal(init.attempts, 4);
  assert.deepEqual(delays(init), [100, 200, 400]);
});

Deno.test("named default policies: attempt counts as before the table", () => {
  // Each one's attempts in all, the first one included.
  assert.equal(RETRY_POLICIES.bootstrap.attempts, 3);
  assert.equal(RETRY_POLICIES.leaderElection.attempts, 4);
  assert.equal(RETRY_POLICIES.listOffsets.attempts, 4);
  assert.equal(RETRY_POLICIES.adminController.attempts, 6);
  assert.equal(RETRY_POLICIES.adminCoordinator.attempts, 6);
  // Deadline-bound ones leave the count to the caller's timeout.
  for (
    const p of [
      RETRY_POLICIES.topicMetadata,
      RETRY_POLICIES.findCoordinator,
      RETRY_POLICIES.adminTopicMetadata,
    ]
  ) assert.equal(new RetrySchedule({ ...p, timeoutMs: 1 }).attempts, Infinity);
});
