/**
 * `denokafka produce`: records from stdin or a file, one per line (or per
 * `-D` delimiter, kcat's `-P`), or JSON lines (`--input json`, what
 * `consume -J` writes), byte for byte.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../_args.ts";
import { fromBase64, unescapeDelimiter, utf8 } from "../_bytes.ts";
import { keyValues, QUIET_FLAG, VERBOSE_FLAG, withClient } from "../_common.ts";
import { CliError, errorLine, EXIT, UsageError } from "../_errors.ts";
import {
  chunks,
  type DelimitedOptions,
  delimitedRecords,
  type InputRecord,
  jsonRecords,
} from "../_input.ts";
import { bytes, count, duration, errLine, stderrIsTty } from "../_io.ts";
import { PRODUCER_FLAGS, producerOptions } from "../_producer_flags.ts";
import { Progress } from "../_progress.ts";
import { onInterrupt } from "../_signals.ts";
import { RandomPartitioner, UnknownTopicOrPartition } from "../../mod.ts";

function recordSize(r: InputRecord): number {
  let n = (r.value?.length ?? 0) + (r.key?.length ?? 0);
  for (const [k, v] of r.headers) n += k.length + (v?.length ?? 0);
  return n;
}

function delimitedOptions(args: ParsedArgs): DelimitedOptions {
  const delimiter = unescapeDelimiter(args.string("delimiter", "\\n"));
  if (delimiter.length === 0) {
    throw new UsageError("--delimiter must not be empty", args.command);
  }
  const kd = args.string("key-delimiter");
  const keyDelimiter = kd === undefined ? undefined : unescapeDelimiter(kd);
  if (keyDelimiter && keyDelimiter.length === 0) {
    throw new UsageError("--key-delimiter must not be empty", args.command);
  }
  const keyBase64 = args.string("key-format", "text") === "base64";
  let fixedKey: Uint8Array | undefined;
  const k = args.string("key");
  if (k !== undefined) {
    fixedKey = keyBase64 ? fromBase64(k) : utf8(k);
    if (!fixedKey) {
      throw new UsageError("--key is not valid base64", args.command);
    }
  }
  if (args.bool("null-empty") && args.bool("keep-empty")) {
    throw new UsageError(
      "--null-empty and --keep-empty contradict each other",
      args.command,
    );
  }
  return {
    delimiter,
    keyDelimiter,
    valueBase64: args.string("value-format", "text") === "base64",
    keyBase64,
    fixedKey,
    headers: headersOf(args),
    empty: args.bool("null-empty")
      ? "null"
      : args.bool("keep-empty")
      ? "empty"
      : "skip",
  };
}

function headersOf(args: ParsedArgs): [string, Uint8Array | null][] {
  return [...keyValues(args.list("header"), "--header", args.command)].map((
    [k, v],
  ) => [k, v === null ? null : utf8(v)]);
}

async function run(args: ParsedArgs): Promise<number> {
  const name = args.positional(0, "TOPIC");
  const file = args.positionals[1];
  const input = args.string("input", "lines");
  const maxCount = args.number("count");
  if (maxCount !== undefined && maxCount < 1) {
    throw new UsageError("--count must be 1 or more", args.command);
  }
  const fixedPartition = args.number("partition");
  const options = producerOptions(args);
  if (fixedPartition === -1) {
    // kcat's -p -1: any partition, spread out.
    options.partitioner ??= new RandomPartitioner();
  }
  const delimited = input === "lines" ? delimitedOptions(args) : undefined;
  const jsonHeaders = input === "json" ? headersOf(args) : [];
  if (
    input === "json" && (args.has("key-delimiter") || args.has("delimiter"))
  ) {
    throw new UsageError(
      "--delimiter and --key-delimiter apply to --input lines",
      args.command,
    );
  }
  let totalBytes: number | undefined;
  let stream: ReadableStream<Uint8Array>;
  let fileHandle: Deno.FsFile | undefined;
  if (file !== undefined && file !== "-") {
    try {
      fileHandle = await Deno.open(file);
      totalBytes = (await fileHandle.stat()).size;
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    stream = fileHandle.readable;
  } else stream = Deno.stdin.readable;

  const quiet = args.bool("quiet");
  const progress = new Progress({
    label: `produce ${name}`,
    total: maxCount,
    totalBytes: maxCount === undefined ? totalBytes : undefined,
    enabled: !quiet && stderrIsTty(),
  });
  using interrupt = onInterrupt();
  const stopInput = new AbortController();
  const inputSignal = AbortSignal.any([interrupt.signal, stopInput.signal]);
  let inputBytes = 0;
  const source = (async function* () {
    for await (const c of chunks(stream, inputSignal)) {
      inputBytes += c.length;
      yield c;
    }
  })();
  const records = delimited
    ? delimitedRecords(source, delimited)
    : jsonRecords(source, args.string("value-format") === "base64");

  let sent = 0;
  let delivered = 0;
  let deliveredBytes = 0;
  let failed = 0;
  let firstError: unknown;
  const started = performance.now();
  try {
    await withClient(args, async (client) => {
      let topic;
      try {
        topic = await client.topics.get(name, {
          autoCreate: !args.bool("no-create"),
        });
      } catch (e) {
        if (e instanceof UnknownTopicOrPartition) {
          throw new CliError(`topic ${name} does not exist`, { cause: e });
        }
        throw e;
      }
      if (
        fixedPartition !== undefined && fixedPartition !== -1 &&
        !topic.partitions.has(fixedPartition)
      ) {
        throw new UsageError(
          `--partition ${fixedPartition}: topic ${name} has partitions ${
            [...topic.partitions.keys()].join(", ")
          }`,
          args.command,
        );
      }
      const producer = topic.getProducer({
        ...options,
        deliveryReports: true,
        pendingTimeoutMs: -1,
      });
      const sizes = new WeakMap<object, number>();
      const drain = (async () => {
        for await (const [m, err] of producer.deliveryReports()) {
          if (err) {
            failed++;
            firstError ??= err;
            stopInput.abort();
          } else {
            delivered++;
            deliveredBytes += sizes.get(m) ?? 0;
          }
          progress.update(delivered, deliveredBytes, inputBytes);
        }
      })();
      try {
        for await (const r of records) {
          if (inputSignal.aborted) break;
          const partition = fixedPartition !== undefined && fixedPartition >= 0
            ? fixedPartition
            : args.bool("ignore-json-partition")
            ? undefined
            : r.partition;
          const m = await producer.produce(r.value, {
            partitionKey: r.key,
            headers: r.headers.length
              ? r.headers
              : jsonHeaders.length
              ? jsonHeaders
              : undefined,
            partition,
            timestamp: args.bool("ignore-json-timestamp")
              ? undefined
              : r.timestamp,
          });
          sizes.set(m, recordSize(r));
          sent++;
          if (maxCount !== undefined && sent >= maxCount) break;
        }
        await producer.flush();
      } finally {
        stopInput.abort();
        await producer.stop();
        await drain;
      }
    }, { autoCreateTopics: !args.bool("no-create") });
  } finally {
    progress.finish();
    try {
      fileHandle?.close();
    } catch { /* the stream closed it */ }
  }
  if (failed > 0) {
    throw new CliError(
      `${failed} of ${sent} records were not delivered to ${name}; the first failed with ${
        errorLine(firstError)
      }`,
    );
  }
  const ms = performance.now() - started;
  if ((!quiet && stderrIsTty()) || args.bool("verbose")) {
    errLine(
      `produced ${count(delivered)} records (${
        bytes(deliveredBytes)
      }) to ${name} in ${duration(ms)}: ${
        count(delivered / (ms / 1000))
      } records/s, ${bytes(deliveredBytes / (ms / 1000))}/s`,
    );
  }
  return interrupt.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
}

/** The `produce` command. */
export const produceCommand: CommandSpec = {
  name: "produce",
  summary: "produce records from stdin or a file (kcat -P)",
  description: `
Reads stdin (or FILE) and produces one record per line, or per --delimiter.
With --key-delimiter, the text before its first occurrence in a record is the
key (kcat -K); records without it have no key (or --key). Empty records are
skipped as kcat does (--null-empty sends them as null values, --keep-empty as
empty ones). Input is split as bytes, so any byte but the delimiter passes
through unchanged; --value-format base64 takes each record as base64 for
values that may contain the delimiter.

--input json reads JSON lines as 'consume --output json' writes them:
{"key": "k", "value": "v", "headers": [["name", "value"]]} with text values,
or with "encoding": "base64" for base64 key, value and header values; a
"partition" and a "timestamp" (ms) in the object are used unless the
--ignore-json-* flags say otherwise. 'consume -J | produce --input json'
copies records byte for byte.`,
  connection: true,
  positionals: [
    { name: "TOPIC", help: "the topic" },
    {
      name: "FILE",
      help: "read this file instead of stdin (- for stdin)",
      required: false,
    },
  ],
  flags: [
    {
      name: "input",
      type: "string",
      arg: "FORMAT",
      choices: ["lines", "json"],
      help: "delimited records, or JSON lines",
      defaultText: "lines",
    },
    {
      name: "delimiter",
      short: "D",
      type: "string",
      arg: "DELIM",
      help: "record delimiter (\\n, \\t, \\r, \\0, \\xNN escapes)",
      defaultText: "\\n",
    },
    {
      name: "key-delimiter",
      short: "K",
      type: "string",
      arg: "DELIM",
      help: "key / value delimiter within a record",
    },
    {
      name: "key",
      short: "k",
      type: "string",
      arg: "KEY",
      help: "key of records without one",
    },
    {
      name: "header",
      short: "H",
      type: "list",
      arg: "NAME=VALUE",
      help: "a header on every record",
    },
    {
      name: "value-format",
      type: "string",
      arg: "FORMAT",
      choices: ["text", "base64"],
      help: "how values (and, with --input json, every field) are written",
      defaultText: "text",
    },
    {
      name: "key-format",
      type: "string",
      arg: "FORMAT",
      choices: ["text", "base64"],
      help: "how keys are written",
      defaultText: "text",
    },
    {
      name: "null-empty",
      short: "Z",
      type: "boolean",
      help: "send empty records (and empty keys) as null",
    },
    {
      name: "keep-empty",
      type: "boolean",
      help: "send empty records as empty values",
    },
    {
      name: "partition",
      short: "p",
      type: "int",
      arg: "N",
      help: "send every record to this partition (-1: spread)",
    },
    ...PRODUCER_FLAGS,
    {
      name: "count",
      short: "c",
      type: "int",
      arg: "N",
      help: "stop after N records",
    },
    {
      name: "no-create",
      type: "boolean",
      help:
        "fail when the topic does not exist instead of letting the broker create it",
    },
    {
      name: "ignore-json-partition",
      type: "boolean",
      help: "--input json: let the partitioner place every record",
    },
    {
      name: "ignore-json-timestamp",
      type: "boolean",
      help: "--input json: stamp records with the current time",
    },
    QUIET_FLAG,
    VERBOSE_FLAG,
  ],
  examples: [
    "seq 1 1000 | denokafka produce numbers",
    "denokafka produce orders orders.txt -K : -z lz4 --acks all",
    "denokafka consume src -J | denokafka produce dst --input json",
    "base64 -w0 image.png | denokafka produce images --value-format base64 -k logo",
  ],
  run,
};
