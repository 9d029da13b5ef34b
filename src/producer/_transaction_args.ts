// The transaction calls' arguments (internal): their types (public through
// the producers) and their checks: wrong types are TypeErrors, out-of-range
// values RangeErrors, naming the argument.
import { INT32_MAX, rules, validateOptions } from "../util/options.ts";

/**
 * The consumer group whose offsets a transaction commits
 * (`sendOffsetsToTransaction`): the group id, and with a group member
 * (KIP-447) its generation, member id and static instance id, so that a
 * member fenced by a rebalance cannot commit. A SimpleConsumer's group has
 * no members: give only `groupId`.
 *
 * @example
 * ```ts
 * import type { ConsumerGroupMetadata } from "./_transaction_args.ts";
 * const simple: ConsumerGroupMetadata = { groupId: "billing" };
 * const member: ConsumerGroupMetadata = {
 *   groupId: "billing",
 *   generationId: 7,
 *   memberId: "denokafka-1b2c",
 * };
 * ```
 */
export interface ConsumerGroupMetadata {
  /** The group id. */
  groupId: string;
  /** The member's generation (default -1: no member). */
  generationId?: number;
  /** The member id (default "": no member). */
  memberId?: string;
  /** The static member's instance id (default none). */
  groupInstanceId?: string | null;
}

/**
 * One offset a transaction commits for a group: the offset of the next
 * record the group should read (last consumed + 1).
 *
 * @example
 * ```ts
 * import type { TransactionOffset } from "./_transaction_args.ts";
 * const o: TransactionOffset = { topic: "orders", partition: 0, offset: 1042 };
 * ```
 */
export interface TransactionOffset {
  /** Topic name. */
  topic: string;
  /** Partition id. */
  partition: number;
  /** The offset of the next record to read. */
  offset: number;
  /** Metadata stored with it (default none). */
  metadata?: string | null;
  /** The leader epoch of the last record consumed (default -1: unknown). */
  leaderEpoch?: number;
}

/**
 * Options of the transaction calls (`commitTransaction`,
 * `abortTransaction`, `sendOffsetsToTransaction`).
 *
 * @example
 * ```ts
 * import type { TransactionCallOptions } from "./_transaction_args.ts";
 * const stop = new AbortController();
 * // At most 30 s for the call, retries included; stop.abort() ends the wait.
 * const options: TransactionCallOptions = { timeoutMs: 30_000, signal: stop.signal };
 * ```
 */
export interface TransactionCallOptions {
  /**
   * Longest time for the call, retries included, in ms (default: the
   * producer's `transactionTimeoutMs`).
   */
  timeoutMs?: number;
  /** Ends the wait (rejects with `AbortError`; the transaction stays open). */
  signal?: AbortSignal;
}

/**
 * Where a transactional producer is (`producer.transactionState`).
 *
 * @example
 * ```ts
 * import type { TransactionState } from "./_transaction_args.ts";
 * const canProduce = (s: TransactionState) => s === "in-transaction";
 * console.assert(!canProduce("abortable"));
 * ```
 */
export type TransactionState =
  | "uninitialized"
  | "ready"
  | "in-transaction"
  | "committing"
  | "aborting"
  | "abortable"
  | "fatal";

const CALL_RULES = {
  timeoutMs: rules.int(1, INT32_MAX, "ms"),
  signal: rules.signal(),
};

const GROUP_RULES = {
  groupId: rules.string(true),
  generationId: rules.int(-1, INT32_MAX),
  memberId: rules.string(),
  groupInstanceId: rules.nullable(rules.string(true)),
};

const OFFSET_RULES = {
  topic: rules.string(true),
  partition: rules.int(0, INT32_MAX),
  offset: rules.int(0, Number.MAX_SAFE_INTEGER),
  metadata: rules.nullable(rules.string()),
  leaderEpoch: rules.int(-1, INT32_MAX),
};

/**
 * Checks the offsets, the group (when given) and the call options of a
 * transaction call.
 */
export function checkTransactionArgs(
  offsets: readonly TransactionOffset[],
  group: ConsumerGroupMetadata | undefined,
  options: TransactionCallOptions,
): void {
  validateOptions("Producer transaction call", options, CALL_RULES);
  if (group === undefined) return;
  if (!Array.isArray(offsets)) {
    throw new TypeError(
      "sendOffsetsToTransaction(): offsets must be an array of { topic, partition, offset }",
    );
  }
  for (const o of offsets) {
    if (typeof o !== "object" || o === null) {
      throw new TypeError(
        "sendOffsetsToTransaction(): each offset must be { topic, partition, offset }",
      );
    }
    validateOptions("sendOffsetsToTransaction() offset", o, OFFSET_RULES);
    if (
      o.topic === undefined || o.partition === undefined ||
      o.offset === undefined
    ) {
      throw new TypeError(
        `sendOffsetsToTransaction(): each offset needs topic, partition and offset, got ${
          JSON.stringify(o)
        }`,
      );
    }
  }
  if (typeof group !== "object" || group === null) {
    throw new TypeError(
      "sendOffsetsToTransaction(): the group must be { groupId, generationId?, memberId?, groupInstanceId? }",
    );
  }
  validateOptions("sendOffsetsToTransaction() group", group, GROUP_RULES);
  if (group.groupId === undefined) {
    throw new TypeError(
      "sendOffsetsToTransaction(): the group needs a groupId",
    );
  }
}
