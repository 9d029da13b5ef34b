/**
 * `denokafka perf`: quick throughput and latency tests, like Kafka's
 * `kafka-producer-perf-test` and `kafka-consumer-perf-test`.
 *
 * - `perf produce TOPIC`: N records of S random bytes (optionally at a
 *   fixed rate); records/s, MB/s and the latency from `produce()` to the
 *   delivery report (avg, p50, p95, p99, p99.9, max).
 * - `perf consume TOPIC`: reads N records (default: to the end) from the
 *   beginning; records/s, MB/s, and the end-to-end latency from each
 *   record's timestamp to its arrival (meaningful for fresh records).
 *
 * @module
 */

import { OffsetType } from "../../mod.ts";
import type { CommandSpec, ParsedArgs } from "../_args.ts";
import {
  existingTopic,
  JSON_FLAG,
  print,
  printJson,
  QUIET_FLAG,
  withClient,
} from "../_common.ts";
import { makeConsumer } from "../_consumers.ts";
import { CliError, errorLine, EXIT, UsageError } from "../_errors.ts";
import { stderrIsTty } from "../_io.ts";
import { PRODUCER_FLAGS, producerOptions } from "../_producer_flags.ts";
import { Progress } from "../_progress.ts";
import { onInterrupt } from "../_signals.ts";

/** Latency statistics in ms. */
export interface LatencyStats {
  /** Mean. */
  avg: number;
  /** Median. */
  p50: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** 99.9th percentile. */
  p999: number;
  /** Largest. */
  max: number;
}

/** Statistics of latency samples (sorted in place). */
export function latencyStats(samples: Float64Array): LatencyStats {
  if (samples.length === 0) {
    return { avg: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
  samples.sort();
  let sum = 0;
  for (const s of samples) sum += s;
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return {
    avg: sum / samples.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    p999: at(0.999),
    max: samples[samples.length - 1],
  };
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function produce(args: ParsedArgs): Promise<number> {
  const name = args.positional(0, "TOPIC");
  const n = args.number("count", 100_000);
  const size = args.number("size", 100);
  const rate = args.number("rate", -1);
  if (n < 1) throw new UsageError("--count must be 1 or more", args.command);
  if (size < 0) throw new UsageError("--size must be 0 or more", args.command);
  const options = producerOptions(args);
  const payload = new Uint8Array(size);
  crypto.getRandomValues(payload.subarray(0, Math.min(size, 65536)));
  for (let i = 65536; i < size; i++) payload[i] = payload[i % 65536];
  const progress = new Progress({
    label: `perf produce ${name}`,
    total: n,
    enabled: !args.bool("quiet") && stderrIsTty(),
  });
  using interrupt = onInterrupt();
  const latencies = new Float64Array(n);
  let delivered = 0;
  let failed = 0;
  let firstError: unknown;
  let sent = 0;
  let elapsed = 0;
  try {
    await withClient(args, async (client) => {
      const topic = await client.topics.get(name);
      const producer = topic.getProducer({
        ...options,
        deliveryReports: true,
        pendingTimeoutMs: -1,
      });
      const sentAt = new Map<object, number>();
      const drain = (async () => {
        for await (const [m, err] of producer.deliveryReports()) {
          const t0 = sentAt.get(m);
          sentAt.delete(m);
          if (err) {
            failed++;
            firstError ??= err;
          } else {
            if (t0 !== undefined) latencies[delivered] = performance.now() - t0;
            delivered++;
          }
          progress.update(delivered, delivered * size);
        }
      })();
      const start = performance.now();
      try {
        for (; sent < n; sent++) {
          if (interrupt.signal.aborted || failed > 0) break;
          if (rate > 0 && sent % 16 === 0) {
            const due = start + (sent / rate) * 1000;
            const wait = due - performance.now();
            if (wait > 1) await new Promise((r) => setTimeout(r, wait));
          }
          const t0 = performance.now();
          const m = await producer.produce(payload);
          sentAt.set(m, t0);
        }
        await producer.flush();
      } finally {
        await producer.stop();
        await drain;
        elapsed = performance.now() - start;
      }
    });
  } finally {
    progress.finish();
  }
  if (failed > 0) {
    throw new CliError(
      `${failed} of ${sent} records failed; the first with ${
        errorLine(firstError)
      }`,
    );
  }
  const secs = elapsed / 1000;
  const lat = latencyStats(latencies.subarray(0, delivered));
  const result = {
    records: delivered,
    recordSize: size,
    seconds: round(secs, 3),
    recordsPerSec: round(delivered / secs, 1),
    mbPerSec: round(delivered * size / 1e6 / secs, 2),
    latencyMs: Object.fromEntries(
      Object.entries(lat).map(([k, v]) => [k, round(v)]),
    ),
  };
  if (args.bool("json")) await printJson(result);
  else {
    await print(
      `${delivered} records sent, ${result.recordsPerSec} records/sec (${result.mbPerSec} MB/sec), ${
        round(lat.avg)
      } ms avg latency, ${round(lat.max)} ms max latency, ${
        round(lat.p50)
      } ms 50th, ${round(lat.p95)} ms 95th, ${round(lat.p99)} ms 99th, ${
        round(lat.p999)
      } ms 99.9th.\n`,
    );
  }
  return interrupt.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
}

async function consume(args: ParsedArgs): Promise<number> {
  const name = args.positional(0, "TOPIC");
  const limit = args.number("count");
  const group = args.string("group");
  const timeoutMs = args.number("timeout-ms", 10_000);
  using interrupt = onInterrupt();
  let n = 0;
  let bytesRead = 0;
  let elapsed = 0;
  let latencies = new Float64Array(0);
  let progress: Progress | undefined;
  await withClient(args, async (client) => {
    const topic = await existingTopic(client, name);
    const consumer = makeConsumer("simple", topic, {
      group,
      autoOffsetReset: OffsetType.EARLIEST,
      resetOffsetOnStart: group !== undefined,
      autoCommit: false,
      readCommitted: false,
      checkCrcs: !args.bool("no-check-crcs"),
    }, args.command);
    try {
      const start = performance.now();
      await consumer.start();
      const latest = await topic.latestAvailableOffsets();
      const held = consumer.heldOffsets;
      let available = 0;
      for (const [p, end] of latest) {
        const h = held.get(p) ?? -1;
        available += Math.max(0, end - (h < 0 ? 0 : h + 1));
      }
      const target = limit ?? available;
      if (target === 0) {
        throw new CliError(`topic ${name} has no records to read`);
      }
      latencies = new Float64Array(target);
      progress = new Progress({
        label: `perf consume ${name}`,
        total: target,
        enabled: !args.bool("quiet") && stderrIsTty(),
      });
      while (n < target && !interrupt.signal.aborted) {
        let m = await consumer.consume({ block: false });
        if (m === null) {
          try {
            m = await consumer.consume({
              block: true,
              timeoutMs,
              signal: interrupt.signal,
            });
          } catch (e) {
            if (interrupt.signal.aborted) break;
            throw e;
          }
          if (m === null) {
            throw new CliError(
              `no record for ${timeoutMs} ms after ${n} of ${target} (--timeout-ms)`,
            );
          }
        }
        if (m.timestamp >= 0) latencies[n] = Date.now() - m.timestamp;
        n++;
        bytesRead += (m.value?.length ?? 0) + (m.partitionKey?.length ?? 0);
        progress.update(n, bytesRead);
      }
      elapsed = performance.now() - start;
    } finally {
      progress?.finish();
      await consumer.stop();
    }
  });
  const secs = elapsed / 1000;
  const lat = latencyStats(latencies.subarray(0, n));
  const result = {
    records: n,
    mb: round(bytesRead / 1e6, 3),
    seconds: round(secs, 3),
    recordsPerSec: round(n / secs, 1),
    mbPerSec: round(bytesRead / 1e6 / secs, 2),
    endToEndLatencyMs: Object.fromEntries(
      Object.entries(lat).map(([k, v]) => [k, round(v)]),
    ),
  };
  if (args.bool("json")) await printJson(result);
  else {
    await print(
      `${n} records (${result.mb} MB) consumed in ${result.seconds} s: ${result.recordsPerSec} records/sec, ${result.mbPerSec} MB/sec; end-to-end latency ${
        round(lat.avg)
      } ms avg, ${round(lat.p50)} ms 50th, ${round(lat.p99)} ms 99th, ${
        round(lat.max)
      } ms max.\n`,
    );
  }
  return interrupt.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
}

/** The `perf` command. */
export const perfCommand: CommandSpec = {
  name: "perf",
  summary: "throughput and latency tests (like Kafka's perf-test tools)",
  subcommands: [
    {
      name: "produce",
      summary:
        "produce N records of S bytes: records/s, MB/s, delivery latency",
      description: `
Like kafka-producer-perf-test: sends --count records of --size random bytes
(at most --rate records/s) and prints one line: records/s, MB/s, and the
latency from produce() to the delivery report (avg, max, 50th, 95th, 99th,
99.9th percentile).`,
      connection: true,
      positionals: [{
        name: "TOPIC",
        help: "the topic (created by the broker if missing and allowed)",
      }],
      flags: [
        {
          name: "count",
          short: "c",
          aliases: ["num-records"],
          type: "int",
          arg: "N",
          help: "records to send",
          defaultText: "100000",
        },
        {
          name: "size",
          short: "s",
          aliases: ["record-size"],
          type: "int",
          arg: "BYTES",
          help: "value size",
          defaultText: "100",
        },
        {
          name: "rate",
          aliases: ["throughput"],
          type: "int",
          arg: "N",
          help: "at most N records/s (-1: as fast as possible)",
          defaultText: "-1",
        },
        ...PRODUCER_FLAGS,
        JSON_FLAG,
        QUIET_FLAG,
      ],
      examples: [
        "denokafka perf produce bench -c 1000000 -s 100 -z lz4 --acks all",
        "denokafka perf produce bench --rate 1000 --json",
      ],
      run: produce,
    },
    {
      name: "consume",
      summary:
        "consume records from the beginning: records/s, MB/s, end-to-end latency",
      description: `
Like kafka-consumer-perf-test: reads --count records (default: every record
up to the end) from the beginning and prints records/s, MB/s, and the
latency from each record's timestamp to its arrival (meaningful when the
records are fresh, e.g. while 'perf produce' runs).`,
      connection: true,
      positionals: [{ name: "TOPIC", help: "the topic" }],
      flags: [
        {
          name: "count",
          short: "c",
          aliases: ["messages"],
          type: "int",
          arg: "N",
          help: "records to read",
          defaultText: "all up to the end",
        },
        {
          name: "group",
          short: "g",
          type: "string",
          arg: "GROUP",
          help: "consumer group (offsets are not committed)",
        },
        {
          name: "timeout-ms",
          type: "int",
          arg: "MS",
          help: "give up after this long without a record",
          defaultText: "10000",
        },
        {
          name: "no-check-crcs",
          type: "boolean",
          help: "skip record checksum verification",
        },
        JSON_FLAG,
        QUIET_FLAG,
      ],
      examples: ["denokafka perf consume bench -c 1000000"],
      run: consume,
    },
  ],
};
