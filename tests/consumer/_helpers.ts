// Shared helpers of the consumer tests: unique names, topics, producing
// records with raw Produce requests (plain, compressed, legacy formats,
// transactional), and external producers (kcat, the Java console producer).
import assert from "node:assert/strict";
import { errorForCode } from "../../src/errors/mod.ts";
import {
  AddPartitionsToTxn,
  EndTxn,
  type FetchRequest,
  InitProducerId,
  Produce,
} from "../../src/protocol/mod.ts";
import { encodeRecords, type RecordInput } from "../../src/records/mod.ts";
import {
  KafkaClient,
  type KafkaClientOptions,
  type Topic,
} from "../../src/client/mod.ts";
import type { Broker, UseWorkers } from "../../src/cluster/mod.ts";
import { cluster, type ClusterName } from "../cluster/mod.ts";
import { produceTo } from "../client/_helpers.ts";
import { waitFor } from "../wait_for.ts";

export const enc = new TextEncoder();
export const dec = new TextDecoder();

/** A topic or group name unique to this run. */
export function uniqueName(prefix: string): string {
  return `consumer-${prefix}-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 8)
  }`;
}

/** The concurrency mode of the running `consumerTest` (`useWorkers`). */
let workersMode: UseWorkers = false;

/** The `useWorkers` of the running `consumerTest` variant. */
export function inWorkersMode(): UseWorkers {
  return workersMode;
}

/**
 * Registers a consumer test once per concurrency mode: on the event loop
 * (the name as given), with decoding in a worker (`useWorkers: true`,
 * " [useWorkers]") and with the fetch connections in the worker too
 * (`useWorkers: "sockets"`, " [useWorkers: sockets]"): clients from
 * `connect()` inside it get that mode, so their consumers and fetch
 * engines use it. (The tests of one file run one at a time.)
 */
export function consumerTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): void {
  for (const workers of [false, true, "sockets"] as const) {
    const suffix = workers === true
      ? " [useWorkers]"
      : workers === "sockets"
      ? " [useWorkers: sockets]"
      : "";
    Deno.test(`${name}${suffix}`, async (t) => {
      workersMode = workers;
      try {
        await fn(t);
      } finally {
        workersMode = false;
      }
    });
  }
}

/** A connected client of one of the local clusters (in the test's mode). */
export function connect(
  name: ClusterName = "kafka39",
  options: KafkaClientOptions = {},
): Promise<KafkaClient> {
  return KafkaClient.connect({
    hosts: cluster.bootstrap(name, "PLAINTEXT"),
    clientId: "consumer-tests",
    useWorkers: workersMode,
    ...options,
  });
}

/** Creates a topic (replication 2 on Kafka 3.9, 1 on 4.x) and returns it. */
export async function createTopic(
  client: KafkaClient,
  prefix: string,
  options: {
    partitions?: number;
    replicationFactor?: number;
    config?: Record<string, string>;
  } = {},
): Promise<Topic> {
  const name = uniqueName(prefix);
  const rf = options.replicationFactor ??
    (client.brokers.size >= 2 ? 2 : 1);
  await client.createTopics([{
    name,
    numPartitions: options.partitions ?? 3,
    replicationFactor: rf,
    config: options.config,
  }]);
  return await client.topics.get(name);
}

/** `text` as a record value (key `k<i>` when `key` is given). */
export function rec(value: string, key?: string): RecordInput {
  return {
    key: key === undefined ? null : enc.encode(key),
    value: enc.encode(value),
  };
}

/** Produces `count` records `<prefix><i>` spread over every partition in batches. */
export async function produceMany(
  topic: Topic,
  count: number,
  prefix = "msg ",
): Promise<void> {
  const ids = [...topic.partitions.keys()];
  const per = ids.map(() => [] as RecordInput[]);
  for (let i = 0; i < count; i++) {
    per[i % ids.length].push(rec(`${prefix}${i}`));
  }
  await Promise.all(ids.map(async (id, i) => {
    for (let at = 0; at < per[i].length; at += 200) {
      await produceTo(topic, id, per[i].slice(at, at + 200));
    }
  }));
}

export { java, run } from "../cluster/tools.ts";
export { produceTo };

async function retrying<T>(
  what: string,
  f: () => Promise<{ errorCode: number } & T>,
): Promise<T> {
  for (let attempt = 0;; attempt++) {
    const res = await f();
    if (res.errorCode === 0) return res;
    const err = errorForCode(res.errorCode);
    // CONCURRENT_TRANSACTIONS (51) and coordinator loading are retriable.
    if (attempt < 40 && (err.retriable || res.errorCode === 51)) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    throw new Error(`${what}: ${err.name} (${res.errorCode})`);
  }
}

/**
 * A minimal transactional producer over raw requests (InitProducerId,
 * AddPartitionsToTxn, transactional Produce, EndTxn) for one partition.
 */
export class RawTransactionalProducer {
  readonly #topic: Topic;
  readonly #partition: number;
  readonly transactionalId = uniqueName("txn");
  #coordinator: Broker | undefined;
  producerId = -1;
  producerEpoch = -1;
  #sequence = 0;

  constructor(topic: Topic, partition: number) {
    this.#topic = topic;
    this.#partition = partition;
  }

  async init(): Promise<void> {
    this.#coordinator = await this.#topic.cluster.getCoordinator(
      this.transactionalId,
      1,
    );
    const res = await retrying(
      "InitProducerId",
      () =>
        this.#coordinator!.send(InitProducerId, {
          transactionalId: this.transactionalId,
          transactionTimeoutMs: 60_000,
        }),
    );
    this.producerId = res.producerId;
    this.producerEpoch = res.producerEpoch;
  }

  /** Adds the partition to a new transaction. */
  async begin(): Promise<void> {
    const c = this.#coordinator!;
    await retrying("AddPartitionsToTxn", async () => {
      const res = await c.send(AddPartitionsToTxn, {
        v3AndBelowTransactionalId: this.transactionalId,
        v3AndBelowProducerId: this.producerId,
        v3AndBelowProducerEpoch: this.producerEpoch,
        v3AndBelowTopics: [{
          name: this.#topic.name,
          partitions: [this.#partition],
        }],
      });
      const codes = (res.resultsByTopicV3AndBelow ?? []).flatMap((t) =>
        t.resultsByPartition.map((p) => p.partitionErrorCode)
      );
      return { errorCode: codes.find((x) => x !== 0) ?? 0 };
    });
  }

  /** Writes `records` as one transactional batch of the open transaction. */
  async produce(records: RecordInput[]): Promise<void> {
    const leader = this.#topic.partitions.get(this.#partition)!.leader;
    const res = await leader.send(Produce, {
      transactionalId: this.transactionalId,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{
        name: this.#topic.name,
        partitionData: [{
          index: this.#partition,
          records: encodeRecords({
            records,
            producerId: this.producerId,
            producerEpoch: this.producerEpoch,
            baseSequence: this.#sequence,
            isTransactional: true,
          }),
        }],
      }],
    });
    assert.equal(res.responses[0].partitionResponses[0].errorCode, 0);
    this.#sequence += records.length;
  }

  /** Commits or aborts the open transaction. */
  async end(commit: boolean): Promise<void> {
    const c = this.#coordinator!;
    await retrying("EndTxn", () =>
      c.send(EndTxn, {
        transactionalId: this.transactionalId,
        producerId: this.producerId,
        producerEpoch: this.producerEpoch,
        committed: commit,
      }));
  }

  /** One transaction holding `records`, committed or aborted. */
  async transaction(records: RecordInput[], commit: boolean): Promise<void> {
    await this.begin();
    await this.produce(records);
    await this.end(commit);
  }
}

/**
 * Waits until `check()` is true (polling), or fails after `timeoutMs`:
 * `waitFor` of `tests/wait_for.ts` with the arguments in this order.
 */
export async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<void> {
  await waitFor(check, { what, timeoutMs, intervalMs });
}

/**
 * A Fetch request (v12 or below: by topic name) for one partition from
 * `fetchOffset`, answered at once, at most `maxBytes` of it.
 */
export function onePartitionFetch(
  topic: string,
  partition: number,
  fetchOffset: number,
  maxBytes = 1 << 20,
): FetchRequest {
  return {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    topics: [{
      topic,
      partitions: [{ partition, fetchOffset, partitionMaxBytes: maxBytes }],
    }],
  };
}
