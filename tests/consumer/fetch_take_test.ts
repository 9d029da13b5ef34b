// Taking Fetch responses out of a connection's reused read buffers
// (`_fetch_take.ts`, used by the fetch engine on the event loop and in the
// "sockets" worker): all-compressed responses are decoded where they were
// read and leave nothing behind, so the next response reuses the memory;
// others keep their frame. Messages of earlier responses must stay intact
// while later responses are read into the same buffers.
import assert from "node:assert/strict";
import { BrokerConnection } from "../../src/network/mod.ts";
import { Fetch } from "../../src/protocol/mod.ts";
import { CompressionType } from "../../src/records/mod.ts";
import { decodedFromWorker } from "../../src/records/_worker_decoder.ts";
import { decodeMessagesLazy } from "../../src/records/_lazy_messages.ts";
import { takeFetch, type TakenFetch } from "../../src/consumer/_fetch_take.ts";
import type { RawMessage } from "../../src/consumer/_cursor.ts";
import {
  connect,
  createTopic,
  dec,
  onePartitionFetch,
  produceTo,
} from "./_helpers.ts";

/**
 * 300 records of 1 KiB, random hex after a tag (lz4 halves them at most:
 * a response far above the 32 KiB big-frame threshold either way).
 */
function records(tag: string) {
  return Array.from({ length: 300 }, (_, i) => {
    const noise = crypto.getRandomValues(new Uint8Array(512));
    const hex = [...noise].map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    return {
      key: null,
      value: new TextEncoder().encode(`${tag}-${i}-${hex}`.slice(0, 1024)),
    };
  });
}

/** The messages of partition 0 of a taken response. */
function messagesOf(taken: TakenFetch, topic: string): RawMessage[] {
  const pr = taken.res.responses[0].partitions[0];
  const done = taken.decoded.get(pr);
  const decoded = done !== undefined
    ? decodedFromWorker(done.result, pr.records!, topic, 0, 1 << 26)
    : decodeMessagesLazy(pr.records!, { topic, partition: 0, minOffset: 0 });
  if (decoded instanceof Error) throw decoded;
  const out: RawMessage[] = [];
  for (let i = 0; i < decoded.messages.length; i++) {
    out.push(decoded.messages.at(i)!);
  }
  return out;
}

for (
  const [label, compression, reused] of [
    ["lz4", CompressionType.LZ4, true],
    ["uncompressed", CompressionType.NONE, false],
  ] as const
) {
  Deno.test(
    `takeFetch, ${label}: ${
      reused
        ? "decoded in the reused buffer, nothing kept"
        : "each frame kept in a buffer of its own"
    }; messages of earlier responses intact after later reads`,
    async () => {
      await using client = await connect();
      const topic = await createTopic(client, `take${label}`, {
        partitions: 1,
      });
      for (const tag of ["a", "b", "c"]) {
        await produceTo(topic, 0, records(tag), { compression });
      }
      const leader = topic.partitions.get(0)!.leader;
      await using conn = await BrokerConnection.connect({
        host: leader.host,
        port: leader.port,
      });
      conn.reuseFrameBuffers();
      const version = Math.min(conn.versions.pick(Fetch), 12);
      const kept: (ArrayBufferLike | undefined)[] = [];
      const all: RawMessage[][] = [];
      for (const [i, tag] of ["a", "b", "c"].entries()) {
        const taken = await conn.sendDecoded(
          Fetch,
          onePartitionFetch(topic.name, 0, i * 300, 400 * 1024),
          version,
          { timeoutMs: 10_000 },
          (r, frame) => takeFetch(r, frame, version, () => i * 300, 1, 1 << 26),
        );
        kept.push(taken.frame?.buffer);
        const ms = messagesOf(taken, topic.name);
        assert.ok(ms.length >= 300, `${tag}: ${ms.length} messages`);
        assert.equal(ms[0].offset, i * 300);
        all.push(ms.slice(0, 300));
      }
      if (reused) {
        assert.deepEqual(kept, [undefined, undefined, undefined]);
      } else {
        assert.ok(kept.every((b) => b !== undefined));
        assert.equal(new Set(kept).size, 3);
      }
      // Read after all three responses: nothing was overwritten.
      for (const [i, tag] of ["a", "b", "c"].entries()) {
        for (const [j, m] of all[i].entries()) {
          const text = dec.decode(m.value!);
          assert.ok(
            text.startsWith(`${tag}-${j}-`),
            `${tag}/${j}: ${text.slice(0, 12)}`,
          );
          assert.equal(m.value!.length, 1024);
        }
      }
    },
  );
}
