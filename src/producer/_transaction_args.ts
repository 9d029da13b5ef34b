// Checks of the transaction calls' arguments (internal): wrong types are
// TypeErrors, out-of-range values RangeErrors, naming the argument.
import { INT32_MAX, rules, validateOptions } from "../util/options.ts";
import type {
  ConsumerGroupMetadata,
  TransactionCallOptions,
  TransactionOffset,
} from "./_transactions.ts";

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
