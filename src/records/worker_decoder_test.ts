// The decode worker (`useWorkers`) against the in-thread decoder: the same
// messages for every codec and a fetch offset inside a batch, the same
// CorruptRecordError for a flipped bit, and termination.
import assert from "node:assert/strict";
import { CorruptRecordError } from "../errors/mod.ts";
import { encodeRecords } from "./encode_records.ts";
import { decodeMessages } from "./decode_records.ts";
import {
  decodedFromWorker,
  liveDecodeWorkers,
  WorkerDecoder,
} from "./_worker_decoder.ts";
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from "./_util.ts";

const enc = new TextEncoder();

function set(baseOffset: number, compression: 0 | 1 | 2 | 3 | 4): Uint8Array {
  return encodeRecords({
    compression,
    baseOffset,
    records: Array.from({ length: 20 }, (_, i) => ({
      key: i % 2 ? enc.encode(`k${i}`) : null,
      value: enc.encode(`value ${baseOffset + i}`),
      headers: [["h", enc.encode(String(i))]],
    })),
  });
}

Deno.test("WorkerDecoder: the same messages as decodeMessages, the same CorruptRecordError, buffers handed back; terminate() ends the worker", async () => {
  const sets = [set(100, 0), set(200, 1), set(300, 3), set(400, 4)];
  const bad = set(500, 0);
  bad[bad.length - 3] ^= 0x04;
  sets.push(bad);
  const total = sets.reduce((n, s) => n + s.length, 0);
  const buf = new Uint8Array(total + 7);
  const parts = [];
  let at = 7;
  for (const [i, s] of sets.entries()) {
    buf.set(s, at);
    parts.push({ offset: at, length: s.length, minOffset: i === 0 ? 105 : 0 });
    at += s.length;
  }
  const before = liveDecodeWorkers();
  const decoder = new WorkerDecoder();
  assert.equal(liveDecodeWorkers(), before + 1);
  try {
    const signal = new AbortController().signal;
    const limit = DEFAULT_MAX_DECOMPRESSED_BYTES;
    const reply = await decoder.decode(buf.buffer, parts, 1, limit, signal);
    assert.equal(buf.byteLength, 0, "the buffer was transferred");
    assert.equal(reply.buf.byteLength, total + 7, "and handed back");
    parts.forEach((p, i) => {
      const bytes = new Uint8Array(reply.buf, p.offset, p.length);
      const got = decodedFromWorker(reply.results[i], bytes, "t", 2, limit);
      let want: unknown;
      try {
        want = decodeMessages(sets[i], {
          topic: "t",
          partition: 2,
          minOffset: p.minOffset,
        });
      } catch (e) {
        want = e;
      }
      if (i === sets.length - 1) {
        assert.ok(got instanceof CorruptRecordError, String(got));
        assert.ok(want instanceof CorruptRecordError);
        assert.equal(got.message, want.message);
        return;
      }
      assert.ok(!(got instanceof Error), String(got));
      const { messages, ...rest } = got;
      assert.deepEqual({
        messages: Array.from(
          { length: messages.length },
          (_, i) => messages.at(i),
        ),
        ...rest,
      }, want);
    });
    // A job in flight when the worker is terminated rejects.
    const pending = decoder.decode(
      new Uint8Array(sets[0]).buffer,
      [{ offset: 0, length: sets[0].length, minOffset: 0 }],
      1,
      limit,
      signal,
    );
    decoder.terminate();
    await assert.rejects(pending, /terminated/);
    assert.equal(liveDecodeWorkers(), before);
  } finally {
    decoder.terminate();
  }
});
