// Internal: the body of a decode worker (`_worker_decoder.ts` starts it).
// It decodes the record sets of one fetch response per job with the
// WebAssembly decoder (checksums, decompression) and hands back the input
// buffer, each record set's index and its decompressed data, all
// transferred (no copy).
/// <reference lib="deno.worker" />
import { withWasm } from "./_wasm.ts";
import { decodeIndex, type RawDecoded } from "./decode_records.ts";
import type { DecodeJob, DecodeReply, PartResult } from "./_worker_decoder.ts";

const NONE: Omit<RawDecoded, "recF" | "recI" | "hdr" | "batF" | "batI"> = {
  records: 0,
  headers: 0,
  batches: 0,
  consumed: 0,
  next: -1,
  data: new Uint8Array(0),
};

function decodePart(
  buf: ArrayBuffer,
  offset: number,
  length: number,
  minOffset: number,
  flags: number,
  limit: number,
): PartResult {
  if (length < 12) {
    return {
      ...NONE,
      data: new Uint8Array(0),
      recF: new Float64Array(0),
      recI: new Int32Array(0),
      hdr: new Int32Array(0),
      batF: new Float64Array(0),
      batI: new Int32Array(0),
    };
  }
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
    if ("recF" in r) {
      for (const a of [r.recF, r.recI, r.hdr, r.batF, r.batI, r.data]) {
        if (a.byteLength > 0) transfer.push(a.buffer as ArrayBuffer);
      }
    }
  }
  const reply: DecodeReply = { id: job.id, buf: job.buf, results };
  self.postMessage(reply, transfer);
};
