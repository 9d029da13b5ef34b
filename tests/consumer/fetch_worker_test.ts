// The fetch worker (`useWorkers: "sockets"`): the engine's sockets live in the worker,
// which reads responses into buffers its connections reuse and decodes
// them there; a custom `transport` (a function a worker cannot be given)
// keeps the sockets on the event loop with decoding in a worker. And the
// connection option behind it: `reuseFrameBuffers` reads every response
// into the same buffers.
import assert from "node:assert/strict";
import { BrokerConnection, openTransport } from "../../src/network/mod.ts";
import { Fetch } from "../../src/protocol/mod.ts";
import type { KafkaClient, Topic } from "../../src/client/mod.ts";
import {
  connect,
  createTopic,
  onePartitionFetch,
  produceTo,
} from "./_helpers.ts";
import { EngineReader } from "./_engine.ts";

const value = new Uint8Array(1024).fill(0x62);

/** An engine over every partition of `topic` from offset 0. */
function engineOver(client: KafkaClient, topic: Topic): EngineReader {
  const reader = new EngineReader(client.cluster, { useWorkers: "sockets" });
  reader.engine.assign(
    [...topic.partitions.keys()].map((partition) => ({
      topic,
      partition,
      position: 0,
    })),
  );
  return reader;
}

Deno.test('useWorkers "sockets": the fetch connections are the worker\'s, every record arrives once and in order, stop() closes them', async () => {
  await using client = await connect("kafka39", { useWorkers: "sockets" });
  const topic = await createTopic(client, "fwsock", { partitions: 3 });
  for (const id of [0, 1, 2]) {
    await produceTo(
      topic,
      id,
      Array.from({ length: 300 }, (_, i) => ({
        key: new TextEncoder().encode(`${id}-${i}`),
        value,
      })),
    );
  }
  const reader = engineOver(client, topic);
  reader.engine.start();
  const next = new Map<number, number>();
  let n = 0;
  try {
    while (n < 900) {
      const m = await reader.next();
      assert.ok(m, `only ${n} of 900 records`);
      assert.equal(m.offset, next.get(m.partitionId) ?? 0);
      assert.equal(
        new TextDecoder().decode(m.partitionKey!),
        `${m.partitionId}-${m.offset}`,
      );
      assert.equal(m.value!.length, 1024);
      next.set(m.partitionId, m.offset + 1);
      n++;
    }
    assert.equal(reader.engine.workerMode, "sockets");
    const conns = reader.engine.connections;
    assert.ok(conns.length > 0, "no fetch connection");
    for (const c of conns) {
      assert.equal(c.inWorker, true, `${c.lane} is on the event loop`);
      assert.equal(c.connects, 1, `${c.lane} reconnected`);
    }
    assert.ok(reader.engine.stats.connectionsOpen > 0);
  } finally {
    await reader.stop();
  }
  assert.deepEqual(reader.engine.connections, []);
  assert.equal(reader.engine.stats.connectionsOpen, 0);
});

Deno.test('useWorkers "sockets" with a custom transport: the sockets stay on the event loop (the factory is a function), records are decoded in a worker', async () => {
  let opened = 0;
  await using client = await connect("kafka39", {
    useWorkers: "sockets",
    transport: (o) => {
      opened++;
      return openTransport(o);
    },
  });
  const topic = await createTopic(client, "fwtransport", { partitions: 2 });
  for (const id of [0, 1]) {
    await produceTo(
      topic,
      id,
      Array.from({ length: 100 }, () => ({ key: null, value })),
    );
  }
  const before = opened;
  const reader = engineOver(client, topic);
  reader.engine.start();
  try {
    for (let n = 0; n < 200; n++) {
      assert.ok(await reader.next(), `only ${n} of 200 records`);
    }
    assert.equal(reader.engine.workerMode, "decode");
    const conns = reader.engine.connections;
    assert.ok(conns.length > 0);
    for (const c of conns) assert.equal(c.inWorker, false);
    // The fetch connections went through the factory, on this thread.
    assert.ok(opened - before >= conns.length);
  } finally {
    await reader.stop();
  }
});

Deno.test("BrokerConnection.reuseFrameBuffers: responses are read into the same buffers (big frames too); without it every big response gets a buffer of its own", async () => {
  await using client = await connect();
  const topic = await createTopic(client, "fwreuse", { partitions: 1 });
  // 200 KiB: a Fetch response far above the 32 KiB big-frame threshold.
  await produceTo(
    topic,
    0,
    Array.from({ length: 200 }, () => ({ key: null, value })),
  );
  const leader = topic.partitions.get(0)!.leader;
  const buffers = async (reuse: boolean) => {
    await using conn = await BrokerConnection.connect({
      host: leader.host,
      port: leader.port,
    });
    if (reuse) conn.reuseFrameBuffers();
    const version = Math.min(conn.versions.pick(Fetch), 12);
    const seen: { buffer: ArrayBufferLike; records: number }[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push(
        await conn.sendDecoded(
          Fetch,
          onePartitionFetch(topic.name, 0, 0),
          version,
          { timeoutMs: 10_000 },
          (r, frame) => {
            const res = Fetch.decodeResponse(r, version);
            return {
              buffer: frame.buffer,
              records: res.responses[0].partitions[0].records?.length ?? 0,
            };
          },
        ),
      );
    }
    return seen;
  };
  const reused = await buffers(true);
  const fresh = await buffers(false);
  for (const s of [...reused, ...fresh]) assert.ok(s.records > 200 * 1024);
  assert.equal(new Set(reused.map((s) => s.buffer)).size, 1);
  assert.equal(new Set(fresh.map((s) => s.buffer)).size, 3);
});

Deno.test('useWorkers "sockets": a fetch worker per running consumer, ended by stop()', async () => {
  const { liveDecodeWorkers } = await import(
    "../../src/records/_worker_decoder.ts"
  );
  const before = liveDecodeWorkers();
  {
    await using client = await connect("kafka39", { useWorkers: "sockets" });
    const topic = await createTopic(client, "fwcount", { partitions: 1 });
    await produceTo(topic, 0, [{ key: null, value }]);
    const a = topic.getSimpleConsumer({ consumerTimeoutMs: 5000 });
    const b = topic.getSimpleConsumer({ consumerTimeoutMs: 5000 });
    try {
      assert.ok(await a.consume());
      assert.ok(await b.consume());
      assert.equal(liveDecodeWorkers(), before + 2);
    } finally {
      await a.stop();
      assert.equal(liveDecodeWorkers(), before + 1);
      await b.stop();
    }
  }
  assert.equal(liveDecodeWorkers(), before);
});
