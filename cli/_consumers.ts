/**
 * The consumers `consume` and `perf consume` can use: the SimpleConsumer
 * (with or without a group), the ZooKeeper-balanced `BalancedConsumer`
 * (`--balanced zookeeper`, with the ZooKeeper of `--zookeeper-hosts`), and
 * the `ManagedBalancedConsumer` (`--balanced managed`, Kafka's group
 * protocol), one line each here.
 *
 * @module
 */

import {
  IsolationLevel,
  type Message,
  type OffsetType,
  type Topic,
  VERSION,
} from "../mod.ts";
import { UsageError } from "./_errors.ts";

/** Which consumer: simple, or a balanced group (`--balanced`). */
export type ConsumerKind = "simple" | "zookeeper" | "managed";

/** What the CLI uses of a consumer (the SimpleConsumer surface). */
export interface CliConsumer {
  /** The next message, or `null` on timeout / when not blocking. */
  consume(
    options?: { block?: boolean; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<Message | null>;
  /** Last consumed offset per partition. */
  readonly heldOffsets: Map<number, number>;
  /** Moves partitions (last consumed offset, OffsetType or Date). */
  resetOffsets(
    partitionOffsets?: readonly [number, number | OffsetType | Date][],
  ): Promise<void>;
  /** Commits what was consumed. */
  commitOffsets(): Promise<void>;
  /** Starts fetching. */
  start(): Promise<void>;
  /** Stops (commits with autocommit on). */
  stop(): Promise<void>;
}

/** The settings the CLI gives a consumer. */
export interface ConsumerSettings {
  /** Consumer group. */
  group?: string;
  /** Partition ids (simple consumer; default all). */
  partitions?: number[];
  /** Where to start without a committed offset. */
  autoOffsetReset: OffsetType;
  /** Start at `autoOffsetReset` even with committed offsets. */
  resetOffsetOnStart: boolean;
  /** Commit periodically and on stop. */
  autoCommit: boolean;
  /** Read only committed transactional records. */
  readCommitted: boolean;
  /** Prefetch bound in messages per partition. */
  queuedMaxMessages?: number;
  /** Verify record checksums. */
  checkCrcs?: boolean;
}

type Factory = (topic: Topic, s: ConsumerSettings) => CliConsumer;

function common(s: ConsumerSettings) {
  return {
    autoOffsetReset: s.autoOffsetReset,
    resetOffsetOnStart: s.resetOffsetOnStart,
    autoCommitEnable: s.autoCommit && s.group !== undefined,
    autoCommitIntervalMs: 5_000,
    isolationLevel: s.readCommitted
      ? IsolationLevel.READ_COMMITTED
      : IsolationLevel.READ_UNCOMMITTED,
    ...(s.queuedMaxMessages ? { queuedMaxMessages: s.queuedMaxMessages } : {}),
    ...(s.checkCrcs === false ? { checkCrcs: false } : {}),
  };
}

/**
 * Every consumer kind; `undefined` for those this version of the library
 * does not have. To add the managed balanced consumer, replace its
 * `undefined` with its factory, e.g.
 *
 * ```ts ignore getBalancedConsumer takes no managed true in this version: this is the code to add when it does
 * managed: (topic, s) =>
 *   topic.getBalancedConsumer({ ...common(s), consumerGroup: s.group!, managed: true, autoStart: false }),
 * ```
 *
 * (`consume` then runs them in follow mode: their partitions change with
 * the group, so there is no fixed end to stop at.)
 */
export const CONSUMERS: Record<ConsumerKind, Factory | undefined> = {
  simple: (topic, s) =>
    topic.getSimpleConsumer({
      ...common(s),
      ...(s.group !== undefined ? { consumerGroup: s.group } : {}),
      ...(s.partitions ? { partitions: s.partitions } : {}),
      autoStart: false,
    }),
  // The group's ZooKeeper is the client's (--zookeeper-hosts).
  zookeeper: (topic, s) =>
    topic.getBalancedConsumer({
      ...common(s),
      consumerGroup: s.group!,
      autoStart: false,
    }),
  managed: (topic, s) =>
    topic.getBalancedConsumer({
      ...common(s),
      consumerGroup: s.group!,
      managed: true,
      autoStart: false,
    }),
};

const NAMES: Record<ConsumerKind, string> = {
  simple: "SimpleConsumer",
  zookeeper: "the ZooKeeper-balanced consumer (BalancedConsumer)",
  managed: "the managed balanced consumer (ManagedBalancedConsumer)",
};

/**
 * A consumer of `kind`: a usage error when this version of the library
 * does not have it, or when a balanced consumer is asked for without a
 * group.
 */
export function makeConsumer(
  kind: ConsumerKind,
  topic: Topic,
  settings: ConsumerSettings,
  command: readonly string[],
): CliConsumer {
  const factory = CONSUMERS[kind];
  if (!factory) {
    throw new UsageError(
      `--balanced ${kind}: ${
        NAMES[kind]
      } is not available yet in @denokafka/kafka ${VERSION}; use --group with the SimpleConsumer`,
      command,
    );
  }
  if (kind !== "simple" && settings.group === undefined) {
    throw new UsageError(`--balanced ${kind} needs --group`, command);
  }
  if (kind === "zookeeper" && topic.cluster.zookeeperHosts === undefined) {
    throw new UsageError(
      "--balanced zookeeper needs --zookeeper-hosts (the group's ZooKeeper, with the Kafka cluster's chroot if it has one)",
      command,
    );
  }
  return factory(topic, settings);
}
