// Internal: the body of a decode worker (`_worker_decoder.ts` starts it).
// It decodes the record sets of one fetch response per job with the
// WebAssembly decoder (checksums, decompression) and hands back the input
// buffer, each record set's index and its decompressed data, all
// transferred (no copy).
/// <reference lib="deno.worker" />
import { withWasm } from "./_wasm.ts";
import { decodeIndex } from "./decode_records.ts";
import { NO_RECORDS } from "./_lazy_messages.ts";
import {
  type DecodeJob,
  type DecodeReply,
  type PartResult,
  resultBuffers,
} from "./_worker_decoder.ts";

function decodePart(
  buf: ArrayBuffer,
  offset: number,
  length: number,
  minOffset: number,
  flags: number,
  limit: number,
): PartResult {
  if (length < 12) return NO_RECORDS;
  try {
    return withWasm((w) =>
      decodeIndex(
        w,
        new Uint8Array(buf, offset, length),
        flags,
        limit,
        minOffset,
        true,
      )
    );
  } catch (e) {
    return { crash: e instanceof Error ? e.message : String(e) };
  }
}

self.onmessage = (ev: MessageEvent<DecodeJob>) => {
  const job = ev.data;
  const results: PartResult[] = [];
  const transfer: ArrayBuffer[] = [job.buf];
  for (const p of job.parts) {
    const r = decodePart(
      job.buf,
      p.offset,
      p.length,
      p.minOffset,
      job.flags,
      job.limit,
    );
    results.push(r);
    transfer.push(...resultBuffers(r));
  }
  const reply: DecodeReply = { id: job.id, buf: job.buf, results };
  self.postMessage(reply, transfer);
};
