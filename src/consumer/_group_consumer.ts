// The machinery of the managed balanced consumers (one topic or several),
// under their public facades: the fetch engine whose assignment the group
// changes, the consumer core (consume, iteration, autocommit), the group
// member's offsets, and the membership (classic or KIP-848) it hosts:
// revoking (pause, revoked listener, commit, release), losing (release,
// lost listener), assigning (new cursors positioned at the committed
// offsets), and after each rebalance the assigned listener and pykafka's
// post-rebalance callback.

import { KafkaError } from "../errors/mod.ts";
import type { Cluster, ClusterTopic } from "../cluster/mod.ts";
import { errorText } from "../util/error_text.ts";
import { sleep } from "../util/retry.ts";
import type { Cursor } from "./_cursor.ts";
import { FetchEngine, type FetchEngineHooks } from "./fetch_engine.ts";
import { OffsetStore } from "./_offset_store.ts";
import {
  checkResetTarget,
  type CommitIdentity,
  type ResetTarget,
} from "./_consumer_offsets.ts";
import { ConsumerCore } from "./_consumer_core.ts";
import { GroupOffsets } from "./_group_offsets.ts";
import type { TopicPartition } from "./assignors/assignor.ts";
import {
  ClusterGroupChannel,
  describePartitions,
  type GroupMetadata,
  type Membership,
  type MembershipHost,
  type RevokeHow,
} from "./_membership.ts";
import { ClassicMembership } from "./_classic_membership.ts";
import { Kip848Membership } from "./_kip848_membership.ts";
import type {
  RebalanceListener,
  ResolvedManagedOptions,
} from "./managed_options.ts";

/** Held offsets per topic: topic name → partition id → offset. */
export type TopicOffsets = Map<string, Map<number, number>>;

/** What a facade gives the machinery. */
export interface GroupConsumerOwner {
  /** The class name, for messages. */
  name: string;
  /**
   * Runs the post-rebalance callback (in the facade's shapes) and returns
   * the resets it asked for, per topic, or `undefined`.
   */
  postRebalance?(
    oldOffsets: TopicOffsets,
    newOffsets: TopicOffsets,
  ): Promise<TopicOffsets | undefined>;
}

/** The managed consumers' shared machinery (internal). */
export class GroupConsumer<V, K> implements MembershipHost {
  readonly cluster: Cluster;
  readonly o: ResolvedManagedOptions<V, K>;
  readonly engine: FetchEngine;
  readonly offsets: GroupOffsets;
  readonly core: ConsumerCore<V, K>;
  readonly commitIdentity: CommitIdentity;
  readonly #owner: GroupConsumerOwner;
  readonly #names: string[];
  readonly #topics = new Map<string, ClusterTopic>();
  #membership: Membership | undefined;
  #firstAssignment = true;
  #oldHeld: TopicOffsets | undefined;

  constructor(
    cluster: Cluster,
    topics: readonly (ClusterTopic | string)[],
    o: ResolvedManagedOptions<V, K>,
    owner: GroupConsumerOwner,
  ) {
    this.cluster = cluster;
    this.o = o;
    this.#owner = owner;
    this.#names = [];
    for (const t of topics) {
      const name = typeof t === "string" ? t : t.name;
      if (!this.#names.includes(name)) this.#names.push(name);
      if (typeof t !== "string") this.#topics.set(name, t);
    }
    const hooks: FetchEngineHooks = {};
    this.engine = new FetchEngine(cluster, o, hooks);
    this.commitIdentity = {
      consumerId: "",
      generationId: -1,
      groupInstanceId: o.groupInstanceId,
    };
    const store = new OffsetStore(cluster, o.consumerGroup, {
      retries: o.offsetsCommitMaxRetries,
      backoffMs: o.offsetsChannelBackoffMs,
    });
    this.offsets = new GroupOffsets(
      this.engine,
      store,
      o,
      this.commitIdentity,
      () => this.#membership,
      o.rebalanceTimeoutMs,
    );
    const core = new ConsumerCore(cluster, this.engine, this.offsets, o, {
      name: owner.name,
      onStart: (signal) => this.#start(signal),
      onStop: () => this.#stop(),
    });
    this.core = core;
    hooks.onData = () => core.dataArrived();
    hooks.onError = (e) => core.fail(e);
  }

  /** The subscribed topic names, in the order given. */
  get subscription(): string[] {
    return [...this.#names];
  }

  /** The resolved topic objects (after start), by name. */
  get topicObjects(): ReadonlyMap<string, ClusterTopic> {
    return this.#topics;
  }

  /** The membership (after start). */
  get membership(): Membership | undefined {
    return this.#membership;
  }

  /** Held offsets of every assigned partition, per topic (topics in subscription order). */
  heldOffsets(): TopicOffsets {
    const out: TopicOffsets = new Map();
    for (const name of this.#names) out.set(name, new Map());
    const sorted = [...this.engine.cursors].sort((a, b) => a.id - b.id);
    for (const c of sorted) out.get(c.topic.name)?.set(c.id, c.heldOffset);
    return out;
  }

  /** The cursor of an assigned partition (a `KafkaError` naming it otherwise). */
  cursor(topic: string, partition: unknown, what: string): Cursor {
    const c = typeof partition === "number"
      ? this.engine.cursor(topic, partition)
      : undefined;
    if (!c) {
      throw new KafkaError(
        `Unknown partition supplied to ${what}: ${topic}/${
          String(partition)
        } is not assigned to this member of group ${
          JSON.stringify(this.o.consumerGroup)
        } (assigned: ${describePartitions(this.owned())})`,
      );
    }
    return c;
  }

  // ------------------------------------------------------------ life cycle

  /** Stops the consumer (commits do not wait for a rebalance meanwhile). */
  async stop(): Promise<void> {
    this.offsets.noWait++;
    try {
      await this.core.stop();
    } finally {
      this.offsets.noWait--;
    }
  }

  async #start(signal: AbortSignal): Promise<void> {
    for (const name of this.#names) {
      if (!this.#topics.has(name)) {
        this.#topics.set(name, await this.cluster.topics.get(name));
      }
    }
    signal.throwIfAborted();
    this.#firstAssignment = true;
    this.#oldHeld = undefined;
    const channel = new ClusterGroupChannel(this.cluster, this.o.consumerGroup);
    const o = this.o;
    const requestTimeoutMs = this.cluster.connectionSettings.socketTimeoutMs ??
      30_000;
    this.#membership = o.groupProtocol === "consumer"
      ? new Kip848Membership(this, channel, {
        groupId: o.consumerGroup,
        groupInstanceId: o.groupInstanceId,
        rebalanceTimeoutMs: o.rebalanceTimeoutMs,
        sessionTimeoutMs: o.sessionTimeoutMs,
        serverAssignor: o.serverAssignor,
        rebalanceMaxRetries: o.rebalanceMaxRetries,
        rebalanceBackoffMs: o.rebalanceBackoffMs,
        requestTimeoutMs,
      })
      : new ClassicMembership(this, channel, {
        groupId: o.consumerGroup,
        sessionTimeoutMs: o.sessionTimeoutMs,
        rebalanceTimeoutMs: o.rebalanceTimeoutMs,
        heartbeatIntervalMs: o.heartbeatIntervalMs,
        groupInstanceId: o.groupInstanceId,
        assignors: o.assignors,
        rebalanceMaxRetries: o.rebalanceMaxRetries,
        rebalanceBackoffMs: o.rebalanceBackoffMs,
        requestTimeoutMs,
      });
    await this.#membership.start(signal);
  }

  async #stop(): Promise<void> {
    const m = this.#membership;
    this.offsets.noWait++;
    try {
      await m?.stop();
    } finally {
      this.offsets.noWait--;
      // Whatever is left (a failed membership) is released.
      await this.engine.revoke([...this.engine.cursors]);
    }
  }

  // ------------------------------------------------------------ host

  topics(): readonly string[] {
    return this.#names;
  }

  owned(): TopicPartition[] {
    return this.engine.cursors.map((c) => ({
      topic: c.topic.name,
      partition: c.id,
    }));
  }

  #cursors(partitions: readonly TopicPartition[]): Cursor[] {
    const out: Cursor[] = [];
    for (const tp of partitions) {
      const c = this.engine.cursor(tp.topic, tp.partition);
      if (c) out.push(c);
    }
    return out;
  }

  #noteOld(): void {
    this.#oldHeld ??= this.heldOffsets();
  }

  async #listen(
    method: keyof RebalanceListener,
    partitions: TopicPartition[],
  ): Promise<void> {
    const l = this.o.rebalanceListener;
    let f = l?.[method];
    if (method === "onPartitionsLost" && !f) f = l?.onPartitionsRevoked;
    if (!f) return;
    this.offsets.noWait++;
    try {
      await f.call(l, partitions.map((tp) => ({ ...tp })));
    } catch (e) {
      this.error(
        new KafkaError(
          `${this.#owner.name} rebalance listener ${method}(${
            describePartitions(partitions)
          }) threw: ${errorText(e)}`,
          { cause: e },
        ),
      );
    } finally {
      this.offsets.noWait--;
    }
  }

  async revoke(partitions: TopicPartition[], how: RevokeHow): Promise<void> {
    const cursors = this.#cursors(partitions);
    if (cursors.length === 0) return;
    this.#noteOld();
    this.engine.pause(cursors);
    const tps = cursors.map((c) => ({ topic: c.topic.name, partition: c.id }));
    await this.#listen("onPartitionsRevoked", tps);
    if (how.commit && this.o.autoCommitEnable) {
      const positions = new Map<Cursor, number>();
      for (const c of cursors) {
        if (c.live && c.positioned) positions.set(c, c.lastOffsetConsumed + 1);
      }
      this.offsets.noWait++;
      try {
        await this.offsets.commit(positions, this.core.signal);
      } catch (e) {
        this.error(
          new KafkaError(
            `${this.#owner.name}: committing the offsets of revoked partitions ${
              describePartitions(tps)
            } failed: ${errorText(e)}`,
            { cause: e },
          ),
        );
      } finally {
        this.offsets.noWait--;
      }
    }
    await this.engine.revoke(cursors);
  }

  async lose(partitions: TopicPartition[], _why: string): Promise<void> {
    const cursors = this.#cursors(partitions);
    if (cursors.length === 0) return;
    this.#noteOld();
    await this.engine.revoke(cursors);
    await this.#listen(
      "onPartitionsLost",
      cursors.map((c) => ({ topic: c.topic.name, partition: c.id })),
    );
  }

  async assign(
    partitions: TopicPartition[],
    signal: AbortSignal,
  ): Promise<void> {
    this.#noteOld();
    const missing = partitions.filter((tp) =>
      !this.#topics.get(tp.topic)?.partitions.has(tp.partition)
    );
    if (missing.length > 0) {
      // Partitions added since the topic was looked up.
      await this.cluster.requestTopicMetadata(
        [...new Set(missing.map((tp) => tp.topic))],
        { signal },
      ).catch(() => {});
    }
    const ok = partitions.filter((tp) =>
      this.#topics.get(tp.topic)?.partitions.has(tp.partition) &&
      !this.engine.cursor(tp.topic, tp.partition)
    );
    const unknown = partitions.filter((tp) =>
      !this.#topics.get(tp.topic)?.partitions.has(tp.partition)
    );
    if (unknown.length > 0) {
      this.error(
        new KafkaError(
          `${this.#owner.name}: assigned ${
            describePartitions(unknown)
          }, which the metadata does not show; not consumed`,
        ),
      );
    }
    const cursors = this.engine.assign(ok.map((tp) => ({
      topic: this.#topics.get(tp.topic)!,
      partition: tp.partition,
    })));
    const first = this.#firstAssignment;
    this.#firstAssignment = false;
    try {
      await this.#position(cursors, first && this.o.resetOffsetOnStart, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      this.error(
        new KafkaError(
          `${this.#owner.name}: positioning ${
            describePartitions(ok)
          } failed (retrying): ${errorText(e)}`,
          { cause: e },
        ),
      );
      this.core.track(this.#repositionLater(cursors));
    }
  }

  /** Committed offsets (or `autoOffsetReset` where none), or the reset policy when `reset`. */
  async #position(
    cursors: Cursor[],
    reset: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const todo = cursors.filter((c) => c.live && !c.positioned);
    if (todo.length === 0) return;
    if (reset) {
      await this.offsets.reset(
        new Map(todo.map((c) => [c, this.o.autoOffsetReset])),
        true,
        signal,
      );
      return;
    }
    const fetched = await this.offsets.fetch(todo, false, signal);
    const none = new Map<Cursor, ResetTarget>();
    for (const [c, s] of fetched) {
      if (!c.live || c.positioned) continue;
      if (s.offset >= 0) this.engine.seek(c, s.offset);
      else none.set(c, c.resetPolicy ?? this.o.autoOffsetReset);
    }
    if (none.size > 0) await this.offsets.reset(none, false, signal);
  }

  async #repositionLater(cursors: Cursor[]): Promise<void> {
    const signal = this.core.signal;
    for (let i = 1; !signal.aborted; i++) {
      const left = cursors.filter((c) => c.live && !c.positioned);
      if (left.length === 0) return;
      await sleep(
        Math.min(i, 10) * Math.max(100, this.o.offsetsChannelBackoffMs),
        signal,
      ).catch(() => {});
      if (signal.aborted) return;
      try {
        await this.#position(left, false, signal);
      } catch (e) {
        if (signal.aborted) return;
        if (i % 5 === 0) {
          this.error(e instanceof Error ? e : new KafkaError(String(e)));
        }
      }
    }
  }

  async rebalanced(
    assigned: TopicPartition[],
    _released: TopicPartition[],
  ): Promise<void> {
    await this.#listen("onPartitionsAssigned", assigned);
    const old = this.#oldHeld;
    this.#oldHeld = undefined;
    const post = this.#owner.postRebalance;
    if (!post || old === undefined) return;
    try {
      const resets = await post(old, this.heldOffsets());
      if (resets === undefined) return;
      const targets = new Map<Cursor, ResetTarget>();
      for (const [topic, m] of resets) {
        for (const [partition, offset] of m) {
          targets.set(
            this.cursor(topic, partition, "postRebalanceCallback's result"),
            offset,
          );
        }
      }
      await this.offsets.reset(targets, true, this.core.signal);
    } catch (e) {
      this.error(e instanceof Error ? e : new KafkaError(errorText(e)));
    }
  }

  identity(memberId: string, generationId: number): void {
    this.commitIdentity.consumerId = memberId;
    this.commitIdentity.generationId = generationId;
  }

  async metadata(
    topics: readonly string[],
    signal: AbortSignal,
  ): Promise<GroupMetadata> {
    const partitionsPerTopic = new Map<string, number[]>();
    const leaders = new Map<string, number>();
    if (topics.length > 0) {
      const md = await this.cluster.requestTopicMetadata(topics, { signal });
      for (const t of md) {
        if (
          t.name === null || t.errorCode !== 0 || t.partitions.length === 0
        ) continue;
        partitionsPerTopic.set(
          t.name,
          t.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b),
        );
        for (const p of t.partitions) {
          leaders.set(`${t.name}\u0000${p.partitionIndex}`, p.leaderId);
        }
      }
    }
    return {
      partitionsPerTopic,
      leaderOf: (topic, partition) =>
        leaders.get(`${topic}\u0000${partition}`) ?? -1,
    };
  }

  partitionCounts(topics: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of topics) {
      const topic = this.#topics.get(t) ?? this.cluster.topics.peek(t);
      if (topic) out.set(t, topic.partitions.size);
    }
    return out;
  }

  topicIds(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, t] of this.#topics) {
      if (t.topicId !== undefined) out.set(name, t.topicId);
    }
    return out;
  }

  async topicNames(
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, string>> {
    const find = () => {
      const out = new Map<string, string>();
      for (const [name, id] of this.topicIds()) {
        if (ids.includes(id)) out.set(id, name);
      }
      return out;
    };
    let out = find();
    if (out.size < ids.length) {
      await this.cluster.requestTopicMetadata(this.#names, { signal });
      out = find();
    }
    return out;
  }

  error(e: Error): void {
    this.core.fail(e);
  }

  fatal(e: Error): void {
    this.core.failAndStop(e);
  }
}

/** Checks `[topic, partition, offset]` commit entries (a `KafkaError` naming the bad one). */
export function commitTargets(
  g: GroupConsumer<unknown, unknown>,
  entries: unknown,
  shape: string,
): Map<Cursor, number> {
  if (!Array.isArray(entries)) {
    throw new KafkaError(`commitOffsets takes an array of ${shape}`);
  }
  const out = new Map<Cursor, number>();
  for (const e of entries) {
    if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== "string") {
      throw new KafkaError(
        `commitOffsets takes ${shape}, got ${JSON.stringify(e)}`,
      );
    }
    const c = g.cursor(e[0], e[1], "commitOffsets");
    const o = e[2];
    if (!Number.isSafeInteger(o) || o < -1) {
      throw new KafkaError(
        `commitOffsets: offset for ${c} must be an integer of -1 or more, got ${o}`,
      );
    }
    out.set(c, o);
  }
  return out;
}

/** Checks `[topic, partition, target]` reset entries. */
export function resetTargets(
  g: GroupConsumer<unknown, unknown>,
  entries: unknown,
  shape: string,
): Map<Cursor, ResetTarget> {
  const out = new Map<Cursor, ResetTarget>();
  if (entries === undefined) {
    for (const c of g.engine.cursors) out.set(c, g.o.autoOffsetReset);
    return out;
  }
  if (!Array.isArray(entries)) {
    throw new KafkaError(`resetOffsets takes an array of ${shape}`);
  }
  for (const e of entries) {
    if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== "string") {
      throw new KafkaError(
        `resetOffsets takes ${shape}, got ${JSON.stringify(e)}`,
      );
    }
    const c = g.cursor(e[0], e[1], "resetOffsets");
    out.set(c, checkResetTarget(c, e[2]));
  }
  return out;
}
