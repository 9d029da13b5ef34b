// A consumer's offsets over a set of cursors of any number of topics,
// pykafka's semantics: commit "last consumed + 1" with pykafka's JSON
// metadata, read the group's committed offsets back (and resume there),
// and move cursors to EARLIEST / LATEST / a time / an offset. Shared by the
// simple and balanced consumers.

import { KafkaError, OffsetRequestFailedError } from "../errors/mod.ts";
import type { ClusterTopic, OffsetType } from "../cluster/mod.ts";
import type { Cursor } from "./_cursor.ts";
import type { FetchEngine } from "./fetch_engine.ts";
import { lookupPositions } from "./_offset_lookup.ts";
import type { Membership, OffsetStore, StoredOffset } from "./_offset_store.ts";
import { hostname } from "../util/runtime.ts";

/** The settings offsets need (resolved consumer options). */
export interface OffsetSettings {
  autoOffsetReset: OffsetType;
  isolationLevel: 0 | 1;
  offsetsCommitMaxRetries: number;
  offsetsChannelBackoffMs: number;
}

/** Who commits: the ids written into commits (a balanced consumer sets them). */
export interface CommitIdentity {
  /** pykafka's `consumer_id` (metadata), the member id with a generation. */
  consumerId: string;
  /** The group generation (-1: a standalone commit). */
  generationId: number;
  /** Static membership id (KIP-345), if any. */
  groupInstanceId?: string | null;
}

/** A reset target: `OffsetType`, a time, or the last consumed offset (≥ 0). */
export type ResetTarget = number | OffsetType | Date;

function byTopic<T>(
  entries: Iterable<[Cursor, T]>,
): Map<ClusterTopic, Map<Cursor, T>> {
  const out = new Map<ClusterTopic, Map<Cursor, T>>();
  for (const [c, v] of entries) {
    let m = out.get(c.topic);
    if (!m) out.set(c.topic, m = new Map());
    m.set(c, v);
  }
  return out;
}

/**
 * Checks a reset target given for `c` (a `KafkaError` naming the
 * partition otherwise).
 */
export function checkResetTarget(c: Cursor, v: unknown): ResetTarget {
  if (v instanceof Date) {
    const t = v.getTime();
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new KafkaError(
        `resetOffsets: the date for partition ${c.id} is not a valid date after 1970: ${
          String(v)
        }`,
      );
    }
    return v;
  }
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < -2) {
    throw new KafkaError(
      `resetOffsets: the target for partition ${c.id} must be OffsetType.EARLIEST (-2), OffsetType.LATEST (-1), an offset (an integer of 0 or more: the last consumed offset) or a Date, got ${
        String(v)
      }`,
    );
  }
  return v;
}

/** Commits, fetches and resets the offsets of an engine's cursors. */
export class ConsumerOffsets {
  readonly #engine: FetchEngine;
  readonly #store: OffsetStore | undefined;
  readonly #o: OffsetSettings;
  readonly #identity: CommitIdentity;

  constructor(
    engine: FetchEngine,
    store: OffsetStore | undefined,
    settings: OffsetSettings,
    identity: CommitIdentity,
  ) {
    this.#engine = engine;
    this.#store = store;
    this.#o = settings;
    this.#identity = identity;
  }

  /** True when a consumer group stores offsets. */
  get hasGroup(): boolean {
    return this.#store !== undefined;
  }

  #requireStore(what: string): OffsetStore {
    if (!this.#store) {
      throw new KafkaError(
        `${what} needs a consumer group: set the consumerGroup option`,
      );
    }
    return this.#store;
  }

  /** "Last consumed + 1" of every positioned cursor: the default commit. */
  consumedTargets(): Map<Cursor, number> {
    const all = new Map<Cursor, number>();
    for (const c of this.#engine.cursors) {
      if (c.positioned) all.set(c, c.lastOffsetConsumed + 1);
    }
    return all;
  }

  /**
   * Commits `offsets` (cursor -> the next offset to consume), by default
   * "last consumed + 1" of every positioned cursor, one request per topic,
   * in parallel. Throws (synchronously) without a group. `trusted`: the
   * caller is the consumer's own coordination, which a subclass guarding
   * commits (see `_zk_offsets.ts`) lets through.
   */
  commit(
    offsets: ReadonlyMap<Cursor, number> | undefined,
    signal: AbortSignal | undefined,
    _trusted = false,
  ): Promise<void> {
    const store = this.#requireStore("commitOffsets");
    const todo = offsets ?? this.consumedTargets();
    if (todo.size === 0) return Promise.resolve();
    const id = this.#identity;
    const metadata = JSON.stringify({
      consumer_id: id.consumerId,
      hostname: hostname(),
    });
    const membership: Membership | undefined = id.generationId >= 0
      ? {
        generationId: id.generationId,
        memberId: id.consumerId,
        groupInstanceId: id.groupInstanceId,
      }
      : undefined;
    return Promise.all(
      [...byTopic(todo)].map(([topic, m]) =>
        store.commit(
          topic.name,
          new Map([...m].map(([c, o]) => [c.id, o])),
          metadata,
          membership,
          signal,
        ).then(() => {
          for (const [c, o] of m) c.lastCommitted = o;
        })
      ),
    ).then(() => {});
  }

  /**
   * The group's committed offsets of `cursors` (-1 where it has none).
   * With `apply`, the cursors move there, and those without one go to
   * their reset policy (which is committed).
   */
  async fetch(
    cursors: readonly Cursor[],
    apply: boolean,
    signal: AbortSignal | undefined,
    trusted = false,
  ): Promise<Map<Cursor, StoredOffset>> {
    const store = this.#requireStore("fetchOffsets");
    const out = new Map<Cursor, StoredOffset>();
    if (cursors.length === 0) return out;
    const groups = byTopic(cursors.map((c) => [c, 0] as [Cursor, number]));
    const answers = await Promise.all(
      [...groups].map(([topic, m]) =>
        store.fetch(topic.name, [...m.keys()].map((c) => c.id), signal)
      ),
    );
    [...groups.values()].forEach((m, i) => {
      for (const c of m.keys()) {
        const s = answers[i].get(c.id) ?? { offset: -1, metadata: null };
        out.set(c, { offset: s.offset, metadata: s.metadata });
      }
    });
    if (apply) {
      const missing = new Map<Cursor, ResetTarget>();
      for (const [c, s] of out) {
        if (s.offset < 0) {
          missing.set(c, c.resetPolicy ?? this.#o.autoOffsetReset);
        } else this.#engine.seek(c, s.offset);
      }
      if (missing.size > 0) await this.reset(missing, true, signal, trusted);
    }
    return out;
  }

  /**
   * Moves cursors: `OffsetType.EARLIEST` / `LATEST` and times are looked up
   * on the leaders (one lookup per topic, in parallel); an offset `n` ≥ 0
   * is the last consumed offset (the next message is `n + 1`). Queued
   * messages of those cursors are dropped. With `commit` and a group, the
   * new positions are committed.
   */
  async reset(
    targets: ReadonlyMap<Cursor, ResetTarget>,
    commit: boolean,
    signal: AbortSignal | undefined,
    trusted = false,
  ): Promise<void> {
    if (targets.size === 0) return;
    const lookups = new Map<ClusterTopic, Map<number, number>>();
    for (const [c, v] of targets) {
      const t = v instanceof Date ? v.getTime() : v < 0 ? v : undefined;
      if (t === undefined) continue;
      let m = lookups.get(c.topic);
      if (!m) lookups.set(c.topic, m = new Map());
      m.set(c.id, t);
    }
    for (const c of targets.keys()) c.resetting++;
    const positions = new Map<ClusterTopic, Map<number, number>>();
    try {
      await Promise.all(
        [...lookups].map(async ([topic, m]) => {
          positions.set(
            topic,
            await lookupPositions(topic, m, {
              isolationLevel: this.#o.isolationLevel,
              retries: this.#o.offsetsCommitMaxRetries,
              backoffMs: this.#o.offsetsChannelBackoffMs,
              signal,
            }),
          );
        }),
      );
    } finally {
      for (const c of targets.keys()) c.resetting--;
    }
    for (const [c, v] of targets) {
      const next = typeof v === "number" && v >= 0
        ? v + 1
        : positions.get(c.topic)?.get(c.id);
      if (next === undefined) {
        throw new OffsetRequestFailedError(
          `no offset found for ${c.topic.name}/${c.id}`,
        );
      }
      this.#engine.seek(c, next);
    }
    if (commit && this.#store) {
      await this.commit(
        new Map([...targets.keys()].map((c) => [c, c.lastOffsetConsumed + 1])),
        signal,
        trusted,
      );
    }
  }
}
