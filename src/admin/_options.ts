/**
 * The option rules of `Admin`'s methods (internal): the per-call options
 * and the entries of `createTopics` / `createPartitions`, for the one
 * validator of `src/util/options.ts`.
 *
 * @module
 */

import {
  INT32_MAX,
  omitRules,
  type OptionRule,
  rules,
} from "../util/options.ts";

/** The rules of `TopicOperationOptions`. */
export const TOPIC_OPERATION_RULES = {
  timeoutMs: rules.ms(0),
  validateOnly: rules.bool(),
  waitForMetadata: rules.bool(),
  signal: rules.signal(),
};

/** `deleteTopics`' options: `TopicOperationOptions` without `validateOnly`. */
export const DELETE_TOPICS_RULES = omitRules(
  TOPIC_OPERATION_RULES,
  "validateOnly",
);

/** Options of methods that take only a signal and a deadline (`CallOptions`). */
export const SIGNAL_ONLY_RULES = {
  signal: rules.signal(),
  timeoutMs: rules.ms(1),
};

/** `describeConfigs`' options. */
export const DESCRIBE_CONFIGS_RULES = {
  includeSynonyms: rules.bool(),
  includeDocumentation: rules.bool(),
  signal: rules.signal(),
  timeoutMs: rules.ms(1),
};

/** `alterConfigs`' options. */
export const ALTER_CONFIGS_RULES = {
  validateOnly: rules.bool(),
  signal: rules.signal(),
  timeoutMs: rules.ms(1),
};

/** `listGroups`' options. */
export const LIST_GROUPS_RULES = {
  states: rules.array(rules.string(true), "an array of group states"),
  signal: rules.signal(),
  timeoutMs: rules.ms(1),
};

const brokerIds = rules.array(
  rules.int(0, INT32_MAX),
  "an array of broker ids",
  1,
);

const configRule = rules.check<Record<string, string | null>>(
  "an object of config names to string (or null) values",
  (v) =>
    typeof v === "object" && v !== null && !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string" || x === null),
);

/** The rules of a `NewTopic`. */
export const NEW_TOPIC_RULES = {
  name: rules.required(rules.string(true), "a topic name"),
  numPartitions: rules.int(1, INT32_MAX),
  replicationFactor: rules.int(1, 32767),
  replicaAssignment: rules.array(
    brokerIds,
    "an array of broker id arrays, one per partition",
    1,
  ),
  config: configRule,
};

/** `createTopics`' topics: `NewTopic` objects. */
export const newTopicsRule: OptionRule<unknown[]> = rules.array(
  rules.object(
    NEW_TOPIC_RULES,
    "a NewTopic object { name, numPartitions?, replicationFactor?, replicaAssignment?, config? }",
    (t, owner, name) => {
      if (
        t.replicaAssignment !== undefined &&
        (t.numPartitions !== undefined || t.replicationFactor !== undefined)
      ) {
        throw new RangeError(
          `${owner} option ${name}: give either replicaAssignment or numPartitions/replicationFactor, not both`,
        );
      }
    },
  ),
  "an array of NewTopic objects",
);

/** The rules of a `NewPartitions`. */
export const NEW_PARTITIONS_RULES = {
  topic: rules.required(rules.string(true), "a topic name"),
  count: rules.required(rules.int(1, INT32_MAX), "a positive integer"),
  assignments: rules.array(
    brokerIds,
    "an array of broker id arrays, one per new partition",
  ),
};

/** `createPartitions`' partitions: `NewPartitions` objects. */
export const newPartitionsRule: OptionRule<unknown[]> = rules.array(
  rules.object(
    NEW_PARTITIONS_RULES,
    "a NewPartitions object { topic, count, assignments? }",
  ),
  "an array of NewPartitions objects",
);

/** Topic names (`deleteTopics`). */
export const topicNamesRule: OptionRule<string[]> = rules.array(
  rules.string(true),
  "an array of topic names",
);
