// The consumers' concurrency model (`useWorkers`, pykafka's
// `use_greenlets`): which option wins, one decode worker per running
// consumer, terminated by stop() (no leaked workers), and the prefetch
// bound held by a consumer nobody reads, in both modes, as RSS.
// (Every other consumer test runs in both modes through `consumerTest`.)
import assert from "node:assert/strict";
import { KafkaClient } from "../../src/client/mod.ts";
import { liveDecodeWorkers } from "../../src/records/_worker_decoder.ts";
import { cluster } from "../cluster/mod.ts";
import { connect, createTopic, produceMany, produceTo } from "./_helpers.ts";
import { waitFor } from "../wait_for.ts";

Deno.test("useWorkers: checked like every option; a consumer's own setting overrides the client's; one worker per running consumer in both worker modes, terminated by stop()", async () => {
  assert.throws(
    () => new KafkaClient({ useWorkers: "yes" as unknown as boolean }),
    (e: unknown) =>
      e instanceof RangeError && /KafkaClient/.test(e.message) &&
      /useWorkers/.test(e.message) && /"sockets"/.test(e.message),
  );
  assert.throws(
    () => new KafkaClient({ useWorkers: 1 as unknown as boolean }),
    (e: unknown) => e instanceof TypeError && /useWorkers/.test(e.message),
  );
  const before = liveDecodeWorkers();
  {
    await using client = await connect("kafka39", { useWorkers: "sockets" });
    const topic = await createTopic(client, "workers", { partitions: 2 });
    await produceMany(topic, 200);
    const inherit = topic.getSimpleConsumer({ consumerTimeoutMs: 5000 });
    const own = topic.getSimpleConsumer({
      useWorkers: false,
      consumerTimeoutMs: 5000,
    });
    let decode: typeof own | undefined;
    try {
      let n = 0;
      while (await inherit.consume()) n++;
      assert.equal(n, 200);
      assert.ok(await own.consume());
      // The client's choice gives the first one a worker (its fetch
      // connections' and decoding's); the second consumer's own `false`
      // gives it none; a third one's `true` ("decode") one of its own.
      assert.equal(liveDecodeWorkers(), before + 1);
      decode = topic.getSimpleConsumer({
        useWorkers: true,
        consumerTimeoutMs: 5000,
      });
      assert.ok(await decode.consume());
      assert.equal(liveDecodeWorkers(), before + 2);
      await decode.stop();
      await inherit.stop();
      assert.equal(liveDecodeWorkers(), before);
      // Started again: new workers (started by the first fetches), ended
      // by stop() below.
      await inherit.start();
      await waitFor(() => liveDecodeWorkers() === before + 1, {
        timeoutMs: 10_000,
        what: "the restarted consumer's fetch workers",
      });
    } finally {
      await inherit.stop();
      await own.stop();
      await decode?.stop();
    }
    assert.equal(liveDecodeWorkers(), before);
  }
  assert.equal(liveDecodeWorkers(), before);
});

/** Fills `topic` with `mib` MiB of 1 KiB records, spread over its partitions. */
async function fill(
  topic: Awaited<ReturnType<typeof createTopic>>,
  mib: number,
) {
  const value = new Uint8Array(1024).fill(0x61);
  const ids = [...topic.partitions.keys()];
  const perBatch = 512;
  const batches = (mib * 1024) / perBatch;
  for (let b = 0; b < batches; b += ids.length) {
    await Promise.all(ids.map((id) =>
      produceTo(
        topic,
        id,
        Array.from({ length: perBatch }, () => ({ key: null, value })),
      )
    ));
  }
}

Deno.test("a consumer nobody reads holds about its prefetch (queuedMaxBytes), not the topic, in every mode (RSS of a child process)", async () => {
  let name: string;
  {
    await using client = await connect();
    const topic = await createTopic(client, "stalled", { partitions: 3 });
    await fill(topic, 96);
    name = topic.name;
  }
  const queuedMaxBytes = 8 * 1024 * 1024;
  const results: Record<string, { idleRss: number; peakRss: number }> = {};
  for (const mode of ["loop", "workers", "sockets"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--expose-gc",
        new URL("./_stalled_reader.ts", import.meta.url).pathname,
        cluster.bootstrap("kafka39", "PLAINTEXT"),
        name,
        mode,
        String(queuedMaxBytes),
        "3",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.ok(
      out.success,
      `${mode}: ${text}${new TextDecoder().decode(out.stderr)}`,
    );
    results[mode] = JSON.parse(text.trim().split("\n").pop()!);
  }
  const MiB = 1024 * 1024;
  for (const [mode, r] of Object.entries(results)) {
    const grown = (r.peakRss - r.idleRss) / MiB;
    console.log(
      `${mode}: idle ${(r.idleRss / MiB).toFixed(0)} MiB, peak +${
        grown.toFixed(0)
      } MiB`,
    );
    // 96 MiB in the topic; the prefetch is 8 MiB (+ the responses in
    // flight, 3 x 256 KiB each). Generous: the runtime's own slack and,
    // with workers, the worker's isolate.
    assert.ok(
      grown < 60,
      `${mode}: RSS grew by ${
        grown.toFixed(0)
      } MiB above the idle client (prefetch 8 MiB, topic 96 MiB)`,
    );
  }
});
