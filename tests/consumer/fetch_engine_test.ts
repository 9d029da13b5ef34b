// The fetch engine against the real brokers: many topics in one engine,
// assign/revoke while records flow (fenced, no reconnect), pause/resume,
// fencing of responses in flight for a partition revoked and assigned again,
// and fetch sessions (KIP-227) with their fallbacks.
import assert from "node:assert/strict";
import { Fetch } from "../../src/protocol/mod.ts";
import { OffsetType } from "../../src/cluster/mod.ts";
import type { Topic } from "../../src/client/mod.ts";
import type { Cursor } from "../../src/consumer/_cursor.ts";
import type { FetchEngineStats } from "../../src/consumer/fetch_engine.ts";
import { connect, consumerTest, createTopic, eventually } from "./_helpers.ts";
import {
  assertSequence,
  BackgroundProducer,
  EngineReader,
  produceNumbered,
  RecordLog,
} from "./_engine.ts";

function assignAll(reader: EngineReader, topics: Topic[]): Cursor[] {
  return reader.engine.assign(
    topics.flatMap((t) =>
      [...t.partitions.keys()].map((partition) => ({
        topic: t,
        partition,
        position: 0,
      }))
    ),
  );
}

consumerTest(
  "FetchEngine: three topics in one engine; every record once, in order per partition",
  async () => {
    await using client = await connect();
    const topics = [
      await createTopic(client, "eng3a", { partitions: 4 }),
      await createTopic(client, "eng3b", { partitions: 3 }),
      await createTopic(client, "eng3c", { partitions: 5 }),
    ];
    const per = 300;
    await Promise.all(
      topics.flatMap((t) =>
        [...t.partitions.keys()].map((p) => produceNumbered(t, p, 0, per))
      ),
    );
    const reader = new EngineReader(client.cluster, {
      queuedMaxMessages: 120,
      fetchMessageMaxBytes: 4096,
    });
    try {
      const cursors = assignAll(reader, topics);
      assert.equal(cursors.length, 12);
      reader.engine.start();
      const log = new RecordLog();
      await reader.readUntil(log, () => log.total >= 12 * per);
      assert.equal(
        await reader.next(300),
        null,
        "nothing beyond what was produced",
      );
      for (const t of topics) {
        for (const p of t.partitions.keys()) {
          const values = log.values(t.name, p);
          assert.equal(values.length, per, `${t.name}/${p}`);
          assertSequence(values, t.name, p);
        }
      }
      // One request carries every topic: fewer requests than partitions
      // fetched, and the cursors report their positions.
      for (const c of cursors) {
        assert.equal(c.lastOffsetConsumed, per - 1);
        assert.equal(c.nextOffset, per);
      }
      assert.ok(reader.engine.stats.requests > 0);
    } finally {
      await reader.stop();
    }
    assert.equal(reader.engine.stats.connectionsOpen, 0);
    assert.deepEqual(reader.engine.connections, []);
  },
);

consumerTest(
  "FetchEngine: assign and revoke while records flow: revoked partitions fenced, retained ones exactly once in order, no reconnect",
  async () => {
    await using client = await connect();
    const a = await createTopic(client, "engrva", { partitions: 4 });
    const b = await createTopic(client, "engrvb", { partitions: 3 });
    const c = await createTopic(client, "engrvc", { partitions: 2 });
    const producer = new BackgroundProducer([a, b, c]);
    const reader = new EngineReader(client.cluster, {
      queuedMaxMessages: 50,
      fetchMessageMaxBytes: 2048,
    });
    const log = new RecordLog();
    try {
      assignAll(reader, [a, b]);
      reader.engine.start();
      await reader.readUntil(log, () => log.total >= 700);
      // Prefetched records of retained partitions must survive the change.
      const before = reader.engine.connections;
      assert.ok(before.length > 0 && before.every((x) => x.connects === 1));
      const revokedKeys = [`${a.name}/1`, `${a.name}/3`, `${b.name}/0`];
      let released: readonly Cursor[] = [];
      const revoked = await reader.engine.revoke(
        [
          { topic: a.name, partition: 1 },
          { topic: a.name, partition: 3 },
          { topic: b.name, partition: 0 },
          { topic: b.name, partition: 7 }, // not assigned: skipped
        ],
        { beforeRelease: (cs) => void (released = cs) },
      );
      assert.equal(revoked.length, 3);
      assert.deepEqual(released, revoked);
      assert.ok(revoked.every((x) => !x.live && x.count === 0));
      const atRevoke = new Map(
        revokedKeys.map((k) => [k, log.byPartition.get(k)?.length ?? 0]),
      );
      // Positions of the revoked cursors are intact for a final commit.
      for (const x of revoked) {
        assert.equal(
          x.lastOffsetConsumed + 1,
          log.count(x.topic.name, x.id),
          String(x),
        );
      }
      // New partitions of a third topic join at run time.
      reader.engine.assign(
        [0, 1].map((partition) => ({ topic: c, partition, position: 0 })),
      );
      const readMore = log.total + 1500;
      await reader.readUntil(log, () => log.total >= readMore);
      await producer.stop();
      // Drain every retained partition up to what was produced.
      const retained = reader.engine.cursors;
      await reader.readUntil(
        log,
        () =>
          retained.every((x) =>
            log.count(x.topic.name, x.id) ===
              producer.produced(x.topic.name, x.id)
          ),
        30_000,
      );
      assert.equal(await reader.next(500), null);
      for (const k of revokedKeys) {
        assert.equal(
          log.byPartition.get(k)?.length ?? 0,
          atRevoke.get(k),
          `${k} delivered records after revoke()`,
        );
      }
      for (const x of retained) {
        const values = log.values(x.topic.name, x.id);
        assert.equal(values.length, producer.produced(x.topic.name, x.id));
        assertSequence(values, x.topic.name, x.id);
      }
      // No connection was dropped or reopened by the changes.
      const after = reader.engine.connections;
      for (const x of before) {
        const now = after.find((y) =>
          y.lane === x.lane && y.brokerId === x.brokerId
        );
        assert.ok(now, `connection ${x.lane} to ${x.brokerId} is gone`);
        assert.equal(now.connects, 1, `${x.lane} reconnected`);
        assert.equal(now.open, true);
      }
      assert.equal(
        reader.engine.stats.connectionsOpened,
        after.length,
        "every connection opened once",
      );
    } finally {
      await producer.stop();
      await reader.stop();
    }
  },
);

consumerTest(
  "FetchEngine: pause holds a partition back (not fetched, nothing delivered), resume delivers from where it was",
  async () => {
    await using client = await connect();
    const t = await createTopic(client, "engpause", { partitions: 2 });
    await produceNumbered(t, 0, 0, 50);
    await produceNumbered(t, 1, 0, 50);
    const reader = new EngineReader(client.cluster);
    try {
      const [c0, c1] = assignAll(reader, [t]);
      reader.engine.pause([c1]);
      reader.engine.start();
      const log = new RecordLog();
      await reader.readUntil(log, () => log.count(t.name, 0) === 50);
      assert.equal(await reader.next(500), null);
      assert.equal(log.count(t.name, 1), 0);
      assert.equal(c1.count, 0, "a paused partition is not fetched");
      assert.equal(c1.nextOffset, 0);
      // Paused with records queued: they wait.
      await produceNumbered(t, 1, 50, 10);
      reader.engine.resume([c1]);
      await eventually("partition 1 queued", () => c1.count > 0, 20_000, 20);
      reader.engine.pause([c1]);
      await produceNumbered(t, 0, 50, 10);
      await reader.readUntil(log, () => log.count(t.name, 0) === 60);
      assert.equal(
        log.count(t.name, 1),
        0,
        "queued records of a paused partition are held",
      );
      const queued = c1.count;
      assert.ok(queued > 0);
      reader.engine.resume([c1]);
      await reader.readUntil(log, () => log.count(t.name, 1) === 60);
      assertSequence(log.values(t.name, 1), t.name, 1);
      assertSequence(log.values(t.name, 0), t.name, 0);
      assert.equal(c0.lastOffsetConsumed, 59);
    } finally {
      await reader.stop();
    }
  },
);

consumerTest(
  "FetchEngine: a partition revoked and assigned again at a new position never gets the old fetch's records",
  async () => {
    await using client = await connect();
    const t = await createTopic(client, "engfence", { partitions: 1 });
    await produceNumbered(t, 0, 0, 100);
    // Caught-up fetches are held for a long time, so one is in flight when
    // the partition moves.
    const reader = new EngineReader(client.cluster, { fetchWaitMaxMs: 3000 });
    try {
      const [old] = assignAll(reader, [t]);
      reader.engine.start();
      const log = new RecordLog();
      await reader.readUntil(log, () => log.total === 100);
      await eventually(
        "a held fetch at offset 100",
        () => old.inFlight && old.nextOffset === 100,
        10_000,
        5,
      );
      await reader.engine.revoke([old]);
      const [fresh] = reader.engine.assign([{
        topic: t,
        partition: 0,
        position: 40,
      }]);
      assert.notEqual(fresh, old);
      // The held fetch (of the old cursor, at 100) now returns these.
      await produceNumbered(t, 0, 100, 20);
      const after = new RecordLog();
      await reader.readUntil(after, () => after.total === 80);
      assert.deepEqual(
        after.offsets.get(`${t.name}/0`),
        Array.from({ length: 80 }, (_, i) => 40 + i),
      );
      assertSequence(after.values(t.name, 0), t.name, 0, 40);
      assert.equal(await reader.next(300), null);
      // Revoked and assigned again at the same position: continues there.
      await reader.engine.revoke([fresh]);
      reader.engine.assign([{ topic: t, partition: 0, position: 120 }]);
      await produceNumbered(t, 0, 120, 5);
      const last = new RecordLog();
      await reader.readUntil(last, () => last.total === 5);
      assertSequence(last.values(t.name, 0), t.name, 0, 120);
    } finally {
      await reader.stop();
    }
  },
);

async function sessionRun(
  clusterName: "kafka39" | "kafka4",
  clientOptions: Record<string, unknown>,
  fetchSessions: boolean,
): Promise<{
  fetchVersion: number;
  stats: FetchEngineStats;
  /** Bytes per request while every partition was caught up. */
  idleBytesPerRequest: number;
}> {
  let name: string;
  {
    await using modern = await connect(clusterName);
    name = (await createTopic(modern, `sess${clusterName}`, { partitions: 12 }))
      .name;
  }
  await using client = await connect(clusterName, clientOptions);
  const t = await client.topics.get(name);
  const fetchVersion = await t.partitions.get(0)!.leader.apiVersion(Fetch);
  await Promise.all(
    [...t.partitions.keys()].map((p) => produceNumbered(t, p, 0, 30)),
  );
  const reader = new EngineReader(client.cluster, {
    fetchSessions,
    fetchWaitMaxMs: 50,
  });
  try {
    assignAll(reader, [t]);
    reader.engine.start();
    const log = new RecordLog();
    await reader.readUntil(log, () => log.total === 12 * 30);
    // Idle polling, then more records for a few partitions.
    const idle = reader.engine.stats;
    await eventually(
      "idle fetches",
      () => reader.engine.stats.requests >= idle.requests + 6,
      10_000,
      20,
    );
    const idleEnd = reader.engine.stats;
    const idleBytesPerRequest = (idleEnd.requestBytes - idle.requestBytes) /
      (idleEnd.requests - idle.requests);
    await produceNumbered(t, 3, 30, 10);
    await produceNumbered(t, 7, 30, 10);
    await reader.readUntil(log, () => log.total === 12 * 30 + 20);
    for (const p of t.partitions.keys()) {
      assertSequence(log.values(t.name, p), t.name, p);
    }
    return { fetchVersion, stats: reader.engine.stats, idleBytesPerRequest };
  } finally {
    await reader.stop();
  }
}

consumerTest(
  "FetchEngine: fetch sessions on Kafka 3.9: incremental requests, far smaller than full ones",
  async () => {
    const on = await sessionRun("kafka39", {}, true);
    assert.ok(on.fetchVersion >= 7);
    assert.ok(on.stats.sessionFullRequests >= 1, JSON.stringify(on.stats));
    assert.ok(on.stats.incrementalRequests >= 6, JSON.stringify(on.stats));
    const off = await sessionRun("kafka39", {}, false);
    assert.equal(off.stats.sessionFullRequests, 0);
    assert.equal(off.stats.incrementalRequests, 0);
    // Idle, a session request lists nothing; a full one lists 6 partitions.
    const perOn = on.idleBytesPerRequest;
    const perOff = off.idleBytesPerRequest;
    assert.ok(
      perOn < perOff / 2,
      `idle request: ${perOn} bytes with sessions, ${perOff} without`,
    );
  },
);

consumerTest(
  "FetchEngine: fetch sessions on Kafka 4.x (KRaft, topic ids)",
  async () => {
    const on = await sessionRun("kafka4", {}, true);
    assert.ok(on.fetchVersion >= 13);
    assert.ok(on.stats.incrementalRequests >= 6, JSON.stringify(on.stats));
    const off = await sessionRun("kafka4", {}, false);
    assert.equal(
      off.stats.incrementalRequests + off.stats.sessionFullRequests,
      0,
    );
  },
);

consumerTest(
  "FetchEngine: brokerVersion 0.10.0 (Fetch v2, no sessions) falls back to full requests",
  async () => {
    const legacy = await sessionRun(
      "kafka39",
      { brokerVersion: "0.10.0" },
      true,
    );
    assert.equal(legacy.fetchVersion, 2);
    assert.equal(
      legacy.stats.sessionFullRequests + legacy.stats.incrementalRequests,
      0,
    );
    assert.equal(legacy.stats.sessionResets, 0);
  },
);

consumerTest(
  "FetchEngine: a session the broker no longer accepts is replaced by a new one; nothing lost or repeated",
  async () => {
    await using client = await connect();
    const t = await createTopic(client, "sessreset", { partitions: 4 });
    await Promise.all(
      [...t.partitions.keys()].map((p) => produceNumbered(t, p, 0, 20)),
    );
    const reader = new EngineReader(client.cluster, { fetchWaitMaxMs: 50 });
    try {
      assignAll(reader, [t]);
      reader.engine.start();
      const log = new RecordLog();
      await reader.readUntil(log, () => log.total === 80);
      // Another connection uses the engine's session epochs first, so the
      // engine's next request carries a stale epoch (INVALID_FETCH_SESSION_EPOCH):
      // the epoch after the one in flight (the broker moved past it when the
      // request arrived), else, between requests, the next one.
      let round = 0;
      while (reader.engine.stats.sessionResets === 0) {
        assert.ok(++round < 50, "the engine never saw its session refused");
        await eventually(
          "a session",
          () =>
            reader.engine.sources.some((s) => s.sessionId !== 0 && s.epoch > 0),
          10_000,
          10,
        );
        const s = reader.engine.sources.find((x) =>
          x.sessionId !== 0 && x.epoch > 0
        )!;
        const broker = client.brokers.get(s.brokerId)!;
        const sent = reader.engine.stats.requests;
        for (const sessionEpoch of [s.epoch + 1, s.epoch]) {
          await broker.send(Fetch, {
            maxWaitMs: 0,
            minBytes: 0,
            sessionId: s.sessionId,
            sessionEpoch,
            topics: [],
            forgottenTopicsData: [],
          });
        }
        await eventually(
          "the engine's next requests",
          () => reader.engine.stats.requests >= sent + 2,
          10_000,
          10,
        );
      }
      await Promise.all(
        [...t.partitions.keys()].map((p) => produceNumbered(t, p, 20, 20)),
      );
      await reader.readUntil(log, () => log.total === 160);
      assert.equal(await reader.next(300), null);
      for (const p of t.partitions.keys()) {
        assertSequence(log.values(t.name, p), t.name, p);
        assert.equal(log.count(t.name, p), 40);
      }
      assert.ok(reader.engine.stats.sessionFullRequests >= 2);
    } finally {
      await reader.stop();
    }
  },
);

consumerTest(
  "FetchEngine: OFFSET_OUT_OF_RANGE moves each cursor by its own reset policy, or the hook takes over",
  async () => {
    await using client = await connect();
    const t = await createTopic(client, "engoor", { partitions: 3 });
    await Promise.all([0, 1, 2].map((p) => produceNumbered(t, p, 0, 10)));
    const handled: string[] = [];
    const reader: EngineReader = new EngineReader(client.cluster, {
      autoOffsetReset: OffsetType.EARLIEST,
    }, {
      // Partition 2 is the application's: it moves it to 7.
      onOutOfRange: (c) => {
        if (c.id !== 2) return false;
        handled.push(String(c));
        reader.engine.seek(c, 7);
        return true;
      },
    });
    try {
      const [, c1, c2] = reader.engine.assign([
        { topic: t, partition: 0, position: 500 },
        {
          topic: t,
          partition: 1,
          position: 500,
          autoOffsetReset: OffsetType.LATEST,
        },
        { topic: t, partition: 2, position: 900 },
      ]);
      reader.engine.start();
      // EARLIEST: from 0; the hook: from 7; LATEST: only what comes next.
      const log = new RecordLog();
      await reader.readUntil(
        log,
        () => log.count(t.name, 0) === 10 && log.count(t.name, 2) === 3,
      );
      assert.ok(handled.length >= 1 && handled.every((x) => x === String(c2)));
      await eventually("partition 1 at LATEST", () => c1.nextOffset === 10);
      await produceNumbered(t, 1, 10, 3);
      await reader.readUntil(log, () => log.count(t.name, 1) === 3);
      assertSequence(log.values(t.name, 0), t.name, 0, 0);
      assertSequence(log.values(t.name, 1), t.name, 1, 10);
      assertSequence(log.values(t.name, 2), t.name, 2, 7);
      assert.equal(await reader.next(300), null);
    } finally {
      await reader.stop();
    }
  },
);

consumerTest(
  "FetchEngine: a partition whose prefetch is full is fetched again once take() makes room",
  async () => {
    await using client = await connect();
    const t = await createTopic(client, "engroom", { partitions: 1 });
    await produceNumbered(t, 0, 0, 100, 10);
    // Every response holds more than the bound: the loop waits after each
    // one, and only taking messages can wake it.
    const reader = new EngineReader(client.cluster, {
      queuedMaxMessages: 5,
      fetchMessageMaxBytes: 1024,
    });
    try {
      const [c] = assignAll(reader, [t]);
      reader.engine.start();
      const log = new RecordLog();
      await reader.readUntil(log, () => log.total === 100, 10_000);
      assertSequence(log.values(t.name, 0), t.name, 0);
      assert.ok(c.count === 0 && c.nextOffset === 100);
    } finally {
      await reader.stop();
    }
  },
);
