// Topic administration: CreateTopics, DeleteTopics and CreatePartitions on
// the controller, then (`waitForMetadata`) polling every broker's metadata
// until it shows the result. The requests' version differences are here
// (`CREATE_TOPICS`, `DELETE_TOPICS`).

import {
  KafkaError,
  NetworkPermissionError,
  RequestTimeoutError,
} from "../errors/mod.ts";
import {
  CreatePartitions,
  CreateTopics,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  DeleteTopics,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type MetadataResponseTopic,
  ZERO_UUID,
} from "../protocol/mod.ts";
import { type ApiCall, callApi } from "../cluster/_api_requests.ts";
import { RETRY_POLICIES } from "../cluster/_retry_policies.ts";
import { RetrySchedule } from "../util/retry.ts";
import { validateOptions } from "../util/options.ts";
import {
  DELETE_TOPICS_RULES,
  newPartitionsRule,
  newTopicsRule,
  TOPIC_OPERATION_RULES,
  topicNamesRule,
} from "./_options.ts";
import { configsOf } from "./_config_operations.ts";
import {
  type AdminRouter,
  CONTROLLER,
  throwIfNotController,
  throwItemErrors,
} from "./_routing.ts";

/** A topic to create (see {@linkcode Admin.createTopics}). */
export interface NewTopic {
  /** Topic name. */
  name: string;
  /**
   * Number of partitions (default: the broker's `num.partitions` on Kafka
   * 2.4+, else 1). Leave out with `replicaAssignment`.
   */
  numPartitions?: number;
  /**
   * Replication factor (default: the broker's `default.replication.factor`
   * on Kafka 2.4+, else 1). Leave out with `replicaAssignment`.
   */
  replicationFactor?: number;
  /** Replica broker ids per partition (index = partition id). */
  replicaAssignment?: readonly (readonly number[])[];
  /** Topic config overrides, e.g. `{ "cleanup.policy": "compact" }`. */
  config?: Readonly<Record<string, string | null>>;
}

/** What {@linkcode Admin.createTopics} reports per topic. */
export interface CreatedTopic {
  /** Topic name. */
  name: string;
  /** Topic id (CreateTopics v7+), else `undefined`. */
  topicId: string | undefined;
  /** Partitions (CreateTopics v5+ or the request), -1 if unknown. */
  numPartitions: number;
  /** Replication factor (CreateTopics v5+ or the request), -1 if unknown. */
  replicationFactor: number;
}

/** Options of topic and partition operations. */
export interface TopicOperationOptions {
  /**
   * How long the controller may take, and how long to wait for the
   * metadata to show the result, in ms (default 30000).
   */
  timeoutMs?: number;
  /** Only check that the operation would work (create/add partitions). */
  validateOnly?: boolean;
  /**
   * Resolve only once every broker's metadata shows the result: created
   * topics with a leader (that serves it) for every partition, deleted
   * topics gone, added partitions present (default `true`; ignored with
   * `validateOnly`).
   */
  waitForMetadata?: boolean;
  /** Cancels waiting. */
  signal?: AbortSignal;
}

/** New partition count of a topic (see {@linkcode Admin.createPartitions}). */
export interface NewPartitions {
  /** Topic name. */
  topic: string;
  /** The new total number of partitions (more than now). */
  count: number;
  /** Replica broker ids of each new partition (optional). */
  assignments?: readonly (readonly number[])[];
}

/** One topic of a CreateTopics answer. */
interface CreateTopicResult {
  errorCode: number;
  errorMessage: string | null | undefined;
  created: CreatedTopic;
}

/**
 * CreateTopics: the broker's defaults for a left-out partition count or
 * replication factor need v4 (-1; before, 1), `validateOnly` v1; the
 * answer has the counts from v5 (else the request's) and the id from v7.
 */
const CREATE_TOPICS: ApiCall<
  { topics: readonly NewTopic[]; timeoutMs: number; validateOnly: boolean },
  CreateTopicsRequest,
  CreateTopicsResponse,
  CreateTopicResult[]
> = {
  api: CreateTopics,
  request(version, { topics, timeoutMs, validateOnly }) {
    const request: CreateTopicsRequest = {
      timeoutMs,
      topics: topics.map((t) => {
        const assigned = t.replicaAssignment !== undefined;
        const dflt = assigned || version >= 4 ? -1 : 1;
        return {
          name: t.name,
          numPartitions: t.numPartitions ?? dflt,
          replicationFactor: t.replicationFactor ?? dflt,
          assignments: (t.replicaAssignment ?? []).map((ids, i) => ({
            partitionIndex: i,
            brokerIds: [...ids],
          })),
          configs: configsOf(t.config),
        };
      }),
    };
    if (validateOnly) {
      if (version < 1) {
        throw new KafkaError(
          "validateOnly needs CreateTopics v1 (Kafka 0.10.2+)",
        );
      }
      request.validateOnly = true;
    }
    return request;
  },
  result(_version, res, { topics }) {
    return res.topics.map((t) => {
      const asked = topics.find((x) => x.name === t.name);
      return {
        errorCode: t.errorCode,
        errorMessage: t.errorMessage,
        created: {
          name: t.name,
          topicId: t.topicId && t.topicId !== ZERO_UUID ? t.topicId : undefined,
          numPartitions: (t.numPartitions ?? -1) >= 0
            ? t.numPartitions!
            : asked?.numPartitions ?? asked?.replicaAssignment?.length ?? -1,
          replicationFactor: (t.replicationFactor ?? -1) >= 0
            ? t.replicationFactor!
            : asked?.replicationFactor ??
              asked?.replicaAssignment?.[0]?.length ?? -1,
        },
      };
    });
  },
};

/** DeleteTopics: by name, in v6+ as topic entries (which may carry ids). */
const DELETE_TOPICS: ApiCall<
  { names: readonly string[]; timeoutMs: number },
  DeleteTopicsRequest,
  DeleteTopicsResponse,
  DeleteTopicsResponse["responses"]
> = {
  api: DeleteTopics,
  request(version, { names, timeoutMs }) {
    return version >= 6
      ? {
        timeoutMs,
        topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
      }
      : { timeoutMs, topicNames: [...names] };
  },
  result(_version, res) {
    return res.responses;
  },
};

/** `Admin.createTopics`. */
export async function createTopics(
  router: AdminRouter,
  topics: readonly NewTopic[],
  options: TopicOperationOptions,
): Promise<CreatedTopic[]> {
  validateOptions("Admin.createTopics", options, TOPIC_OPERATION_RULES);
  newTopicsRule(topics, "Admin.createTopics", "topics");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  const res = await router.run(CONTROLLER, async (broker) => {
    const res = await callApi(broker, CREATE_TOPICS, {
      topics,
      timeoutMs,
      validateOnly: options.validateOnly ?? false,
    }, { timeoutMs: timeoutMs + 5000, signal: options.signal });
    throwIfNotController(res, broker);
    return res;
  }, options.signal);
  throwItemErrors(
    "createTopics",
    res,
    (t) => t.created.name,
    (t) => t.errorMessage,
  );
  const out = res.map((t) => t.created);
  if (!options.validateOnly && (options.waitForMetadata ?? true)) {
    const brokers = router.cluster.brokers;
    await waitForTopics(
      router,
      out.map((t) => t.name),
      (md, i) =>
        md.errorCode === 0 && md.partitions.length > 0 &&
        (out[i].numPartitions < 0 ||
          md.partitions.length >= out[i].numPartitions) &&
        md.partitions.every((p) => p.leaderId >= 0 && brokers.has(p.leaderId)),
      started + timeoutMs,
      "created",
      options.signal,
      true,
    );
  }
  return out;
}

/** `Admin.deleteTopics`. */
export async function deleteTopics(
  router: AdminRouter,
  names: readonly string[],
  options: Omit<TopicOperationOptions, "validateOnly">,
): Promise<void> {
  validateOptions("Admin.deleteTopics", options, DELETE_TOPICS_RULES);
  topicNamesRule(names, "Admin.deleteTopics", "names");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  const res = await router.run(CONTROLLER, async (broker) => {
    const res = await callApi(broker, DELETE_TOPICS, { names, timeoutMs }, {
      timeoutMs: timeoutMs + 5000,
      signal: options.signal,
    });
    throwIfNotController(res, broker);
    return res;
  }, options.signal);
  throwItemErrors(
    "deleteTopics",
    res,
    (t) => t.name ?? t.topicId ?? "?",
    (t) => t.errorMessage,
  );
  if (options.waitForMetadata ?? true) {
    await waitForTopics(
      router,
      [...names],
      (md) => md.errorCode === 3,
      started + timeoutMs,
      "deleted",
      options.signal,
    );
  }
}

/** `Admin.createPartitions`. */
export async function createPartitions(
  router: AdminRouter,
  partitions: readonly NewPartitions[],
  options: TopicOperationOptions,
): Promise<void> {
  validateOptions("Admin.createPartitions", options, TOPIC_OPERATION_RULES);
  newPartitionsRule(partitions, "Admin.createPartitions", "partitions");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  const res = await router.run(CONTROLLER, async (broker) => {
    const res = await broker.send(CreatePartitions, {
      topics: partitions.map((p) => ({
        name: p.topic,
        count: p.count,
        assignments: p.assignments
          ? p.assignments.map((ids) => ({ brokerIds: [...ids] }))
          : null,
      })),
      timeoutMs,
      validateOnly: options.validateOnly ?? false,
    }, { timeoutMs: timeoutMs + 5000, signal: options.signal });
    throwIfNotController(res.results, broker);
    return res;
  }, options.signal);
  throwItemErrors(
    "createPartitions",
    res.results,
    (t) => t.name,
    (t) => t.errorMessage,
  );
  if (!options.validateOnly && (options.waitForMetadata ?? true)) {
    const brokers = router.cluster.brokers;
    await waitForTopics(
      router,
      partitions.map((p) => p.topic),
      (md, i) =>
        md.errorCode === 0 && md.partitions.length >= partitions[i].count &&
        md.partitions.every((p) => p.leaderId >= 0 && brokers.has(p.leaderId)),
      started + timeoutMs,
      "with the new partitions",
      options.signal,
      true,
    );
    await router.cluster.update().catch(() => {});
  }
}

/** Polls topic metadata until `ok` holds for every name, or the deadline. */
async function waitForTopics(
  router: AdminRouter,
  names: string[],
  ok: (md: MetadataResponseTopic, index: number) => boolean,
  deadline: number,
  what: string,
  signal?: AbortSignal,
  probe = false,
): Promise<void> {
  if (names.length === 0) return;
  const cluster = router.cluster;
  const schedule = new RetrySchedule({
    ...RETRY_POLICIES.adminTopicMetadata,
    timeoutMs: deadline - Date.now(),
    retriable: () => true,
    signal,
  });
  for (;;) {
    // Every broker must show it (each has its own metadata cache); the
    // answers also update the cluster's view.
    const mds = await cluster.requestTopicMetadata(names, { signal });
    const pending = names.filter((_, j) => !ok(mds[j], j));
    if (pending.length === 0) {
      for (const b of cluster.brokers.values()) {
        try {
          const md = await b.requestMetadata(names, { signal });
          names.forEach((n, j) => {
            const t = md.topics.find((x) => x.name === n) ??
              { errorCode: 3, name: n, partitions: [] };
            if (!ok(t, j) && !pending.includes(n)) pending.push(n);
          });
        } catch {
          // A broker that cannot be reached does not hold anyone up.
        }
      }
    }
    if (pending.length === 0 && probe) {
      // A KRaft broker may list itself as leader a moment before it
      // serves the partition: ask every leader for an offset.
      try {
        for (const name of names) {
          const t = await cluster.topics.get(name, {
            autoCreate: false,
            signal,
          });
          await t.latestAvailableOffsets({ signal });
        }
        return;
      } catch (e) {
        if (schedule.remainingMs() === 0 || NetworkPermissionError.in(e)) {
          throw e;
        }
        pending.push(...names);
      }
    }
    if (pending.length === 0) return;
    if (!(await schedule.pause())) {
      throw new RequestTimeoutError(
        `the metadata does not show topic(s) ${
          pending.join(", ")
        } ${what} yet (waitForMetadata)`,
      );
    }
  }
}
