/**
 * Producer flags shared by `produce` and `perf produce`: compression,
 * acks, idempotence, partitioner, linger and batch size.
 *
 * @module
 */

import {
  CompressionType,
  crc32,
  HashingPartitioner,
  Murmur2Partitioner,
  type PartitionerFunction,
  type ProducerOptions,
  RandomPartitioner,
} from "../mod.ts";
import type { FlagSpec, ParsedArgs } from "./_args.ts";

/** The flags. */
export const PRODUCER_FLAGS: readonly FlagSpec[] = [
  {
    name: "compression",
    short: "z",
    type: "string",
    arg: "CODEC",
    choices: ["none", "gzip", "snappy", "lz4", "zstd"],
    help: "compression codec",
    defaultText: "none",
  },
  {
    name: "acks",
    type: "string",
    arg: "ACKS",
    choices: ["0", "1", "all", "-1"],
    help:
      "acknowledgements: 0 none, 1 the leader, all (-1) every in-sync replica",
    defaultText: "1 (all with --idempotent)",
  },
  {
    name: "idempotent",
    type: "boolean",
    help: "idempotent producer (no duplicates on retries; needs acks all)",
  },
  {
    name: "partitioner",
    type: "string",
    arg: "NAME",
    choices: ["murmur2", "round-robin", "hashing", "consistent-random"],
    help:
      "murmur2: keys as the Java client places them; round-robin: pykafka's RandomPartitioner; hashing: pykafka's SHA-1 HashingPartitioner; consistent-random: librdkafka's (kcat's) CRC-32 of the key",
    defaultText: "murmur2",
  },
  {
    name: "linger-ms",
    type: "int",
    arg: "MS",
    help: "how long a batch waits for more records",
    defaultText: "5",
  },
  {
    name: "batch-size",
    type: "int",
    arg: "BYTES",
    help: "largest batch per partition",
    defaultText: "1048576",
  },
];

const CODECS: Record<string, CompressionType> = {
  none: CompressionType.NONE,
  gzip: CompressionType.GZIP,
  snappy: CompressionType.SNAPPY,
  lz4: CompressionType.LZ4,
  zstd: CompressionType.ZSTD,
};

/**
 * librdkafka's default partitioner (`consistent_random`): CRC-32 of the
 * key modulo the partition count, a random partition for records without
 * a key.
 */
export const consistentRandom: PartitionerFunction = (partitions, key) => {
  const sorted = [...partitions].sort((a, b) => a.id - b.id);
  if (key === null) return sorted[Math.floor(Math.random() * sorted.length)];
  return sorted[crc32(key) % sorted.length];
};

/** The producer options of the flags. */
export function producerOptions(args: ParsedArgs): ProducerOptions {
  const o: ProducerOptions = {};
  const codec = args.string("compression");
  if (codec) o.compression = CODECS[codec];
  const acks = args.string("acks");
  if (acks) {
    o.requiredAcks = acks === "all" || acks === "-1"
      ? -1
      : acks === "0"
      ? 0
      : 1;
  }
  if (args.has("idempotent")) {
    o.idempotent = args.bool("idempotent");
    if (o.idempotent && o.requiredAcks === undefined) o.requiredAcks = -1;
  }
  switch (args.string("partitioner")) {
    case "round-robin":
      o.partitioner = new RandomPartitioner();
      break;
    case "hashing":
      o.partitioner = new HashingPartitioner();
      break;
    case "consistent-random":
      o.partitioner = consistentRandom;
      break;
    case "murmur2":
      o.partitioner = new Murmur2Partitioner();
      break;
  }
  const linger = args.number("linger-ms");
  if (linger !== undefined) o.lingerMs = linger;
  const batch = args.number("batch-size");
  if (batch !== undefined) o.batchSizeBytes = batch;
  return o;
}
