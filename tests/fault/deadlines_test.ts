// Deadlines (issue 17, item 1): every public operation that talks to the
// cluster settles, with a value or a typed error, within the bound its
// options give (the README's "Deadlines" table), against a refusing, a
// silent and a slow broker; an aborted call rejects with the signal's
// reason; an instant refusal with one attempt fails at once. The bounds
// asserted are the documented ones plus a generous allowance for a loaded
// machine, never tight timings.
import assert from "node:assert/strict";
import {
  KafkaClient,
  KafkaError,
  NoBrokersAvailableError,
  RequestTimeoutError,
} from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import { FakeBroker } from "../network/_fake_server.ts";
import { FaultCluster } from "./proxy.ts";

/** Scheduling allowance on top of a documented bound (a loaded CI box). */
const SLACK_MS = 2500;

const unique = (p: string) =>
  `${p}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
const enc = new TextEncoder();

/** A port nothing listens on: connecting is refused at once. */
function refusingPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** Accepts connections and reads requests, never answers. */
function silentBroker(): FakeBroker {
  return new FakeBroker(async (peer) => {
    while (await peer.readFrame() !== null) { /* never answer */ }
  });
}

interface Settled {
  name: string;
  ms: number;
  bound: number;
  error?: unknown;
}

/** Runs `op`, measures how long it takes to settle; never throws. */
async function settle(
  name: string,
  bound: number,
  op: () => Promise<unknown>,
): Promise<Settled> {
  const started = performance.now();
  try {
    await op();
    return { name, ms: performance.now() - started, bound };
  } catch (error) {
    return { name, ms: performance.now() - started, bound, error };
  }
}

/** Each settled within its bound (+ slack), with a value or a KafkaError. */
function assertBounded(results: Settled[], label: string): void {
  const lines = results.map((r) =>
    `${r.name}: ${Math.round(r.ms)} ms (bound ${r.bound}) ${
      r.error === undefined
        ? "ok"
        : `${(r.error as Error).name}: ${(r.error as Error).message}`
    }`
  );
  if (Deno.env.get("DENOKAFKA_DEADLINES_VERBOSE")) {
    console.log(`${label}:\n  ${lines.join("\n  ")}`);
  }
  for (const r of results) {
    assert.ok(
      r.ms <= r.bound + SLACK_MS,
      `${label}: ${r.name} took ${Math.round(r.ms)} ms, bound ${r.bound} ms\n${
        lines.join("\n")
      }`,
    );
    if (r.error !== undefined) {
      assert.ok(
        r.error instanceof KafkaError,
        `${label}: ${r.name} failed with an untyped error: ${r.error}`,
      );
    }
  }
}

Deno.test("deadlines: an instant refusal with connectAttempts 1 fails at once", async () => {
  const port = refusingPort();
  const started = performance.now();
  await assert.rejects(
    KafkaClient.connect({
      hosts: `127.0.0.1:${port}`,
      connectAttempts: 1,
    }),
    NoBrokersAvailableError,
  );
  const took = performance.now() - started;
  assert.ok(took < 500, `took ${took} ms`);
});

Deno.test("deadlines: connect against a refusing broker settles within the rounds' backoff, and within retryTimeoutMs", async () => {
  const port = refusingPort();
  // 3 rounds, backoff 200 ms then 400 ms (±20 %): well under a second.
  const r1 = await settle(
    "connect (3 rounds)",
    1000,
    () => KafkaClient.connect({ hosts: `127.0.0.1:${port}` }),
  );
  assert.ok(r1.error instanceof NoBrokersAvailableError, String(r1.error));
  // Many rounds (long backoff) cut short by retryTimeoutMs.
  const r2 = await settle(
    "connect (retryTimeoutMs 800)",
    800,
    () =>
      KafkaClient.connect({
        hosts: `127.0.0.1:${port}`,
        connectAttempts: 100,
        retryTimeoutMs: 800,
      }),
  );
  assertBounded([r1, r2], "refusing");
});

Deno.test("deadlines: connect against a silent broker: a timeout within socketTimeoutMs × rounds, or retryTimeoutMs", async () => {
  await using silent = silentBroker();
  const hosts = `127.0.0.1:${silent.port}`;
  // One round, one ApiVersions of socketTimeoutMs: RequestTimeoutError
  // (never a downgrade to 0.9 tables) inside NoBrokersAvailableError.
  const one = await settle(
    "connect (1 attempt)",
    600,
    () =>
      KafkaClient.connect({ hosts, connectAttempts: 1, socketTimeoutMs: 600 }),
  );
  assert.ok(one.error instanceof NoBrokersAvailableError, String(one.error));
  assert.ok(one.error.cause instanceof RequestTimeoutError);
  assert.match(one.error.message, /did not answer ApiVersions/);
  // Three rounds of 600 ms would be ~2 s: retryTimeoutMs 1000 ends it.
  const cut = await settle(
    "connect (retryTimeoutMs 1000)",
    1000,
    () =>
      KafkaClient.connect({
        hosts,
        socketTimeoutMs: 600,
        retryTimeoutMs: 1000,
      }),
  );
  assert.ok(cut.error instanceof RequestTimeoutError, String(cut.error));
  // A per-call timeoutMs.
  const client = new KafkaClient({ hosts, socketTimeoutMs: 5000 });
  try {
    const call = await settle(
      "connect (timeoutMs 500)",
      500,
      () => client.connect({ timeoutMs: 500 }),
    );
    assert.ok(call.error instanceof RequestTimeoutError, String(call.error));
    assertBounded([one, cut, call], "silent");
  } finally {
    await client.close();
  }
});

Deno.test("deadlines: an aborted connect rejects with the signal's reason, at once", async () => {
  await using silent = silentBroker();
  const client = new KafkaClient({ hosts: `127.0.0.1:${silent.port}` });
  try {
    const reason = new Error("shutting down");
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 200);
    const started = performance.now();
    await assert.rejects(
      client.connect({ signal: controller.signal }),
      (e) => e === reason,
    );
    assert.ok(performance.now() - started < 200 + 1000);
    // Already aborted: rejects before any I/O, with a DOMException whose
    // name is "AbortError" when no reason was given.
    await assert.rejects(
      client.connect({ signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof DOMException && e.name === "AbortError",
    );
  } finally {
    await client.close();
  }
});

/** The options of the cluster-side tests, and the bounds they give. */
const OPTIONS = {
  socketTimeoutMs: 1000,
  retryTimeoutMs: 4000,
  coordinatorTimeoutMs: 2000,
  reconnectBackoff: { initialMs: 50, maxMs: 500 },
};
const R = OPTIONS.retryTimeoutMs;
const COORDINATOR_BOUND = OPTIONS.coordinatorTimeoutMs +
  OPTIONS.socketTimeoutMs;
const TOPIC_OP_TIMEOUT = 1000;
const TOPIC_OP_BOUND = 2 * TOPIC_OP_TIMEOUT + R;
const PENDING_TIMEOUT = 3000;

type Fault = "refusing" | "silent" | "slow";

/**
 * Connects through the fault proxies, prepares a topic, a group with a
 * commit, a consumer and a sync producer, then breaks every proxy and runs
 * each operation at once, measuring each.
 */
async function underFault(fault: Fault): Promise<void> {
  await using faults = new FaultCluster(
    cluster.bootstrap("kafka39", "PLAINTEXT"),
  );
  await using client = await KafkaClient.connect({
    hosts: faults.bootstrap,
    ...OPTIONS,
  });
  const topic = await client.topics.get(unique(`dl-${fault}`));
  const group = unique(`dl-${fault}-g`);
  await using producer = topic.getSyncProducer({
    pendingTimeoutMs: PENDING_TIMEOUT,
    maxRetries: 1,
  });
  await producer.produce(enc.encode("before the fault"));
  await using consumer = topic.getSimpleConsumer({
    consumerGroup: group,
    consumerTimeoutMs: 1000,
  });
  assert.ok(await consumer.consume({ timeoutMs: 10_000 }));
  await consumer.commitOffsets();
  const partition = topic.partitions.get(0)!;

  for (const p of faults.proxies) {
    if (fault === "refusing") p.refuse(true);
    if (fault === "silent") p.stall();
    // Each chunk held 300 ms each way: a round trip of about 600 ms, near
    // the 1000 ms request timeout; some calls succeed, slowly.
    if (fault === "slow") p.delay(0.3 * OPTIONS.socketTimeoutMs);
  }
  // Connections made before the fault are broken too: every call meets
  // the fault from its first request.
  faults.dropAll();

  const results = await Promise.all([
    settle("updateCluster", R, () => client.updateCluster()),
    settle(
      "partition.latestAvailableOffset",
      R,
      () => partition.latestAvailableOffset(),
    ),
    settle(
      "topic.earliestAvailableOffsets",
      R,
      () => topic.earliestAvailableOffsets(),
    ),
    settle(
      "topic.fetchOffsetLimits (timeoutMs 1500)",
      1500,
      () => topic.fetchOffsetLimits(-1, 1, { timeoutMs: 1500 }),
    ),
    settle(
      "cluster.getGroupCoordinator",
      COORDINATOR_BOUND,
      () => client.cluster.getGroupCoordinator(unique("dl-lookup")),
    ),
    settle("consumer.commitOffsets", R, () => consumer.commitOffsets()),
    settle("consumer.fetchOffsets", R, () => consumer.fetchOffsets()),
    settle("consumer.resetOffsets", R, () => consumer.resetOffsets()),
    settle(
      "producer.produce (sync)",
      PENDING_TIMEOUT,
      () => producer.produce(enc.encode("during the fault")),
    ),
    settle("admin listGroups", R, () => client.listGroups()),
    settle("admin describeGroups", R, () => client.describeGroups([group])),
    settle(
      "admin fetchConsumerGroupOffsets",
      R,
      () => client.fetchConsumerGroupOffsets(group),
    ),
    settle(
      "admin commitConsumerGroupOffsets",
      R,
      () =>
        client.commitConsumerGroupOffsets(unique("dl-admin-g"), [
          { topic: topic.name, partition: 0, offset: 0 },
        ]),
    ),
    settle(
      "admin consumerGroupLag",
      R,
      () => client.consumerGroupLag(group, topic.name),
    ),
    settle(
      "admin describeConfigs",
      R,
      () => client.describeConfigs([{ type: 2, name: topic.name }]),
    ),
    settle(
      "admin createTopics",
      TOPIC_OP_BOUND,
      () =>
        client.createTopics([{ name: unique("dl-new"), numPartitions: 1 }], {
          timeoutMs: TOPIC_OP_TIMEOUT,
        }),
    ),
    settle(
      "admin listGroups (timeoutMs 700)",
      700,
      () => client.listGroups({ timeoutMs: 700 }),
    ),
  ]);
  assertBounded(results, fault);
  // Nothing can succeed against a broker that refuses or never answers.
  if (fault !== "slow") {
    for (const r of results) {
      assert.ok(r.error !== undefined, `${fault}: ${r.name} succeeded`);
    }
  }

  // Aborted calls reject with the signal's reason, at once.
  const reason = new Error(`stop (${fault})`);
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), 100);
  const signal = controller.signal;
  const aborted = await Promise.all([
    settle(
      "abort: latestAvailableOffset",
      100,
      () => partition.latestAvailableOffset({ signal }),
    ),
    settle(
      "abort: getGroupCoordinator",
      100,
      () => client.cluster.getGroupCoordinator(unique("dl-abort"), { signal }),
    ),
    settle(
      "abort: commitOffsets",
      100,
      () => consumer.commitOffsets(undefined, { signal }),
    ),
    settle("abort: listGroups", 100, () => client.listGroups({ signal })),
    settle(
      "abort: describeGroups",
      100,
      () => client.describeGroups([group], { signal }),
    ),
    settle("abort: updateCluster", 100, () => client.updateCluster({ signal })),
  ]);
  if (fault === "silent") {
    // A sync produce waiting for its delivery, and a produce waiting for
    // room in a full queue (one message held by an async producer).
    await using full = topic.getProducer({
      maxQueuedMessages: 1,
      pendingTimeoutMs: 1000,
    });
    await full.produce(enc.encode("fills the queue"));
    const stop = new AbortController();
    setTimeout(() => stop.abort(reason), 100);
    aborted.push(
      ...await Promise.all([
        settle(
          "abort: produce (sync)",
          100,
          () =>
            producer.produce(enc.encode("aborted"), { signal: stop.signal }),
        ),
        settle(
          "abort: produce (queue full)",
          100,
          () =>
            full.produce(enc.encode("waits for room"), {
              signal: stop.signal,
            }),
        ),
      ]),
    );
  }
  for (const r of aborted) {
    assert.ok(r.ms < 100 + SLACK_MS, `${r.name} took ${r.ms} ms`);
    assert.equal(r.error, reason, `${r.name}: ${r.error}`);
  }

  for (const p of faults.proxies) {
    p.refuse(false);
    p.resume();
    p.delay(0);
  }
}

Deno.test("deadlines: every operation settles within its bound against refusing brokers", async () => {
  await underFault("refusing");
});

Deno.test("deadlines: every operation settles within its bound against silent brokers", async () => {
  await underFault("silent");
});

Deno.test("deadlines: every operation settles within its bound against slow brokers", async () => {
  await underFault("slow");
});
