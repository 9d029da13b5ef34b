// The rebalance of a ZooKeeper-coordinated member (pykafka's
// `_rebalance` / `_update_member_assignment`), one step at a time:
//
// 1. after a lost session, release everything held (uncommitted: others
//    may own those partitions already and have consumed past our position);
// 2. refresh the topic's metadata (the leaders are part of the order the
//    protocol sorts by, and of the owner node names);
// 3. read the members (re-registering ours if the session lost it) and let
//    the membership protocol decide our partitions;
// 4. read the owner nodes: ZooKeeper, not memory, says what we hold
//    (pykafka #204);
// 5. release what we should not hold: commit (if ZooKeeper still names us
//    the owner), then delete our node;
// 6. claim what we should hold: a node of another member is a conflict,
//    retried when that node goes away (a watch) or after the backoff;
// 7. fetch positions for new partitions (committed offsets) and resume.
//
// Ownership is in doubt from the moment the ZooKeeper connection drops
// (`suspend()`) or the session is lost (`lost()`): delivery stops at once,
// and commits wait (see `_zk_offsets.ts`), until a step that ran wholly on
// one connected session confirms what this member holds.
//
// Steps never run at once; triggers arriving during a step make one more
// step after it. Failures are retried for as long as the consumer runs
// (linear backoff, rebalanceBackoffMs × the failures so far, up to
// rebalanceMaxRetries × it), so a partition is never left unowned because
// one rebalance failed (pykafka #565); each rebalanceMaxRetries failures in
// a row are reported to consume() once, as pykafka raises after its
// retries. Nothing runs without a trigger, so an idle member costs nothing
// (pykafka #628).

import {
  KafkaError,
  LeaderNotFoundError,
  PartitionOwnedError,
} from "../errors/mod.ts";
import type { ClusterTopic, OffsetType, Partition } from "../cluster/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { Cursor } from "./_cursor.ts";
import type { FetchEngine } from "./fetch_engine.ts";
import type { ConsumerOffsets } from "./_consumer_offsets.ts";
import type { OwnershipGate } from "./_zk_offsets.ts";
import {
  compareBytes,
  type GroupMembershipProtocol,
} from "./membership_protocol.ts";
import { ownedBy, type OwnerNode, type ZookeeperGroup } from "./_zk_group.ts";
import type { RebalanceStats } from "./balanced_consumer_options.ts";

/** What the rebalance needs of its consumer. */
export interface RebalanceHost {
  /** Aborts when the consumer stops. */
  readonly signal: AbortSignal;
  /** Runs a background task that `stop()` waits for. */
  track(task: Promise<unknown>): void;
  /** An error for the next `consume()`. */
  fail(error: Error): void;
  /** The partitions changed: run the post-rebalance callback. */
  changed(
    oldHeld: Map<number, number>,
    newHeld: Map<number, number>,
    signal: AbortSignal,
  ): Promise<void>;
}

/** The settings of the rebalance. */
export interface RebalanceSettings {
  rebalanceMaxRetries: number;
  rebalanceBackoffMs: number;
  membershipProtocol: GroupMembershipProtocol;
  autoOffsetReset: OffsetType;
  resetOffsetOnStart: boolean;
}

/** Never retry faster than this, whatever the backoff (no spinning). */
const MIN_RETRY_MS = 100;
/**
 * How often the leaders in the topic's metadata (refreshed by fetch errors
 * and the cluster's periodic refresh) are compared with those of the last
 * rebalance: they are part of the order the protocol sorts by, so a change
 * means another split. An in-memory comparison, no I/O.
 */
const LEADER_CHECK_MS = 1000;

function heldOf(cursors: readonly Cursor[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const c of [...cursors].sort((a, b) => a.id - b.id)) {
    out.set(c.id, c.heldOffset);
  }
  return out;
}

/**
 * Per partition: our nodes, and the oldest node (the owner; ties, which
 * ZooKeeper does not produce, go by name).
 */
function classify(
  owners: Map<number, OwnerNode[]>,
  isMine: (n: OwnerNode) => boolean,
): { mine: Map<number, OwnerNode[]>; winner: Map<number, OwnerNode> } {
  const mine = new Map<number, OwnerNode[]>();
  const winner = new Map<number, OwnerNode>();
  for (const [pid, nodes] of owners) {
    const sorted = [...nodes].sort((a, b) =>
      a.created < b.created
        ? -1
        : a.created > b.created
        ? 1
        : a.name < b.name
        ? -1
        : 1
    );
    winner.set(pid, sorted[0]);
    const ours = nodes.filter(isMine);
    if (ours.length > 0) mine.set(pid, ours);
  }
  return { mine, winner };
}

/** Runs the rebalance steps of one member. */
export class Rebalancer implements OwnershipGate {
  readonly stats: RebalanceStats = { steps: 0, failures: 0, changes: 0 };
  readonly #group: ZookeeperGroup;
  readonly #engine: FetchEngine;
  readonly #offsets: ConsumerOffsets;
  readonly #topic: ClusterTopic;
  readonly #o: RebalanceSettings;
  readonly #host: RebalanceHost;
  #busy: Promise<unknown> = Promise.resolve();
  #dirty = false;
  #failures = 0;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #lostPending = false;
  #resetPending: boolean;
  readonly #abort = new AbortController();
  readonly #signal: AbortSignal;
  #leaders = "";
  #leaderTimer: ReturnType<typeof setInterval> | undefined;
  /** Ownership unconfirmed (see the top of this file). */
  #doubt = false;
  readonly #confirmations = new Set<() => void>();

  constructor(
    group: ZookeeperGroup,
    engine: FetchEngine,
    offsets: ConsumerOffsets,
    topic: ClusterTopic,
    settings: RebalanceSettings,
    host: RebalanceHost,
  ) {
    this.#group = group;
    this.#engine = engine;
    this.#offsets = offsets;
    this.#topic = topic;
    this.#o = settings;
    this.#host = host;
    this.#resetPending = settings.resetOffsetOnStart;
    this.#signal = AbortSignal.any([host.signal, this.#abort.signal]);
  }

  /** Ends the rebalancing for good (the member left, or failed to join). */
  close(): void {
    this.#abort.abort(new KafkaError("the consumer left its group"));
    if (this.#leaderTimer !== undefined) clearInterval(this.#leaderTimer);
    this.#leaderTimer = undefined;
    this.#wake?.();
  }

  /** The topic's partitions and their leaders, as text. */
  #leadersNow(): string {
    return [...this.#topic.partitions.values()].map((p) =>
      `${p.id}:${p.leaderId}`
    ).join(",");
  }

  /** Asks for a rebalance (coalesced with others; wakes a retry wait). */
  request(): void {
    this.#dirty = true;
    this.#wake?.();
    this.#ensureLoop();
  }

  /**
   * The session was lost (our nodes are gone, someone else may take our
   * partitions): stop delivering at once; the next step releases them.
   */
  lost(): void {
    this.#lostPending = true;
    this.suspend();
  }

  /**
   * The ZooKeeper connection dropped: the session may end (and others take
   * our partitions) before it comes back. Stop delivering at once, and hold
   * commits, until a step confirms ownership.
   */
  suspend(): void {
    this.#doubt = true;
    this.#engine.pause(this.#engine.cursors);
  }

  /** True while ownership is unconfirmed (delivery paused, commits held). */
  get inDoubt(): boolean {
    return this.#doubt;
  }

  /** Ownership confirmed: releases waiting commits. */
  #settle(): void {
    this.#doubt = false;
    for (const wake of [...this.#confirmations]) wake();
  }

  /**
   * See {@linkcode OwnershipGate.confirmed}: waits at most the ZooKeeper
   * session timeout, after which the session has ended or come back.
   */
  confirmed(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#doubt) return Promise.resolve();
    // No step runs once the consumer stops: nothing can confirm then.
    const own = this.#signal;
    const unconfirmed = (why: string) =>
      new KafkaError(
        `BalancedConsumer ${this.#group.consumerId}: ZooKeeper has not confirmed this member's partitions of ${this.#topic.name} (${why}); nothing was committed`,
      );
    const stopped = () =>
      unconfirmed("the consumer stopped while its connection was down");
    if (own.aborted) return Promise.reject(stopped());
    signal?.throwIfAborted();
    const limitMs = this.#group.zk.sessionTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        own.removeEventListener("abort", onStop);
        this.#confirmations.delete(wake);
        if (error !== undefined) reject(error);
        else resolve();
      };
      const wake = () => finish();
      const onAbort = () => finish(signal!.reason);
      const onStop = () => finish(stopped());
      const timer = setTimeout(
        () =>
          finish(unconfirmed(`not within the session timeout, ${limitMs} ms`)),
        limitMs,
      );
      this.#confirmations.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
      own.addEventListener("abort", onStop, { once: true });
    });
  }

  /**
   * The first step, on `start()`: resolves when it ran; an error fails the
   * start. Partitions still owned by others are claimed in the background.
   */
  async first(): Promise<void> {
    const signal = this.#signal;
    this.#leaderTimer ??= setInterval(() => {
      if (!this.#signal.aborted && this.#leadersNow() !== this.#leaders) {
        this.request();
      }
    }, LEADER_CHECK_MS);
    const conflicts = await this.#serial(() => this.#step(signal));
    if (conflicts.length > 0) {
      this.#failures = 1;
      this.stats.failures++;
      this.#ensureLoop();
    }
  }

  #serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(f, f);
    this.#busy = run.catch(() => {});
    return run;
  }

  #ensureLoop(): void {
    if (this.#loop || this.#signal.aborted) return;
    const p: Promise<void> = this.#run().finally(() => {
      if (this.#loop === p) this.#loop = undefined;
      if (
        (this.#dirty || this.#failures > 0) && !this.#signal.aborted
      ) this.#ensureLoop();
    });
    this.#loop = p;
    this.#host.track(p);
  }

  async #run(): Promise<void> {
    const signal = this.#signal;
    while (!signal.aborted && (this.#dirty || this.#failures > 0)) {
      if (this.#failures > 0 && !this.#dirty) {
        const n = Math.min(this.#failures, this.#o.rebalanceMaxRetries);
        await this.#pause(
          Math.max(MIN_RETRY_MS, n * this.#o.rebalanceBackoffMs),
          signal,
        );
        if (signal.aborted) return;
      }
      this.#dirty = false;
      let error: Error | undefined;
      try {
        const conflicts = await this.#serial(() => this.#step(signal));
        if (conflicts.length > 0) {
          error = conflicts.length === 1
            ? conflicts[0]
            : new PartitionOwnedError(
              conflicts[0].topic,
              conflicts[0].partitionId,
              {
                message:
                  `${conflicts.length} partitions of ${this.#topic.name} are owned by other consumers: ${
                    conflicts.map((c) => c.message).join(" ")
                  }`,
              },
            );
        }
      } catch (e) {
        if (signal.aborted) return;
        error = e instanceof Error
          ? e
          : new KafkaError(errorText(e), { cause: e });
      }
      if (error === undefined) {
        this.#failures = 0;
        continue;
      }
      this.#failures++;
      this.stats.failures++;
      if (this.#failures % this.#o.rebalanceMaxRetries === 0) {
        // pykafka raises after rebalance_max_retries; we also keep trying.
        this.#host.fail(error);
      }
    }
  }

  #pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.#wake = done;
    });
  }

  /** Releases cursors: fenced at once, committed, then gone from the engine. */
  async #revoke(
    cursors: readonly Cursor[],
    signal: AbortSignal,
    commit = true,
  ): Promise<void> {
    if (cursors.length === 0) return;
    await this.#engine.revoke(cursors, {
      beforeRelease: async (revoked) => {
        if (!commit) return;
        const todo = new Map<Cursor, number>();
        for (const c of revoked) {
          const next = c.lastOffsetConsumed + 1;
          if (c.positioned && c.lastCommitted !== next) todo.set(c, next);
        }
        if (todo.size === 0 || !this.#offsets.hasGroup) return;
        try {
          await this.#offsets.commit(todo, signal, true);
        } catch (e) {
          if (signal.aborted) throw e;
          // Released anyway, so that the next owner is not held up; it
          // resumes at the last commit (duplicates, never a gap).
          this.#host.fail(
            new KafkaError(
              `BalancedConsumer: committing ${this.#topic.name} partitions ${
                revoked.map((c) => c.id).join(",")
              } before releasing them failed: ${errorText(e)}`,
              { cause: e },
            ),
          );
        }
      },
    });
  }

  /** The protocol's decision, checked (a custom protocol may return anything). */
  #decide(participants: string[], partitions: Partition[]): Partition[] {
    const id = this.#group.consumerId;
    const got: unknown = this.#o.membershipProtocol.decidePartitions(
      participants,
      partitions,
      id,
    );
    if (
      got === null || typeof got !== "object" ||
      typeof (got as Iterable<unknown>)[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(
        `membershipProtocol ${this.#o.membershipProtocol.protocolName}: decidePartitions must return an array (or Set) of the given partitions`,
      );
    }
    const out: Partition[] = [];
    for (const p of got as Iterable<unknown>) {
      const real = partitions.find((x) => x === p) ??
        partitions.find((x) =>
          typeof p === "object" && p !== null &&
          (p as Partition).id === x.id
        );
      if (!real) {
        throw new TypeError(
          `membershipProtocol ${this.#o.membershipProtocol.protocolName}: decidePartitions returned something that is not one of the given partitions`,
        );
      }
      if (!out.includes(real)) out.push(real);
    }
    return out;
  }

  async #step(signal: AbortSignal): Promise<PartitionOwnedError[]> {
    signal.throwIfAborted();
    this.stats.steps++;
    const engine = this.#engine;
    const group = this.#group;
    const topic = this.#topic;
    const id = group.consumerId;
    const before = heldOf(engine.cursors);
    const generation = group.zk.sessionGeneration;

    // 1. After a lost session our nodes are gone: release everything,
    // uncommitted (another member may be past our position already).
    if (this.#lostPending) {
      this.#lostPending = false;
      await this.#revoke(engine.cursors, signal, false);
    }

    // 2. Current leaders (a deleted topic has no partitions).
    const [md] = await topic.cluster.requestTopicMetadata([topic.name], {
      signal,
    });
    const partitions = md.errorCode === 3 ? [] : [...topic.partitions.values()];
    this.#leaders = this.#leadersNow();

    // 3. Members and our share.
    let participants = await group.participants(signal);
    if (!participants.includes(id)) {
      await group.register(signal);
      participants = [...participants, id].sort(compareBytes);
    }
    const decided = this.#decide(participants, partitions);
    const want = new Set(decided.map((p) => p.id));

    // 4. What ZooKeeper says we hold. Two members whose metadata name
    // different leaders can create two nodes for one partition
    // (`<old leader>-<p>` and `<new leader>-<p>`): the oldest node wins,
    // and ours yields when it is not the oldest.
    const session = group.zk.clientId?.sessionId ?? null;
    const isMine = (n: OwnerNode) => n.owner === id && n.session === session;
    let { mine, winner } = classify(await group.owners(signal), isMine);
    const holds = (pid: number) => mine.has(pid) && isMine(winner.get(pid)!);

    // 5. Release: cursors we should not hold, committed first; cursors
    // ZooKeeper no longer names us the owner of, uncommitted; then our nodes
    // we should not hold.
    await this.#revoke(
      engine.cursors.filter((c) => !want.has(c.id) && holds(c.id)),
      signal,
    );
    await this.#revoke(
      engine.cursors.filter((c) => !holds(c.id)),
      signal,
      false,
    );
    await Promise.all(
      [...mine].filter(([pid]) => !want.has(pid) || !holds(pid)).flatMap((
        [, nodes],
      ) => nodes.map((n) => group.release(n, signal))),
    );

    // 6. Claim the rest; then check the claims (the oldest node wins).
    const conflicts: PartitionOwnedError[] = [];
    const owned: Partition[] = [];
    const claimed: Partition[] = [];
    let leaderless: Partition | undefined;
    const blocked = (p: Partition, by: OwnerNode) => {
      conflicts.push(
        ownedBy(topic.name, p.id, by.owner, `${group.ownersPath}/${by.name}`),
      );
      group.watchRelease(by.name, () => this.request());
    };
    await Promise.all(decided.map(async (p) => {
      if (holds(p.id)) {
        owned.push(p);
        return;
      }
      const other = winner.get(p.id);
      if (other && !isMine(other)) return blocked(p, other);
      if (p.leaderId < 0) {
        // pykafka could not parse an owner node named "-1-<id>".
        leaderless = p;
        return;
      }
      try {
        await group.claim(p.id, p.leaderId, signal);
        claimed.push(p);
      } catch (e) {
        if (!(e instanceof PartitionOwnedError)) throw e;
        conflicts.push(e);
        group.watchRelease(`${p.leaderId}-${p.id}`, () => this.request());
      }
    }));
    if (claimed.length > 0) {
      ({ mine, winner } = classify(await group.owners(signal), isMine));
      await Promise.all(claimed.map(async (p) => {
        if (holds(p.id)) return owned.push(p);
        await Promise.all(
          (mine.get(p.id) ?? []).map((n) => group.release(n, signal)),
        );
        const w = winner.get(p.id);
        if (w) blocked(p, w);
      }));
    }

    // 7. Cursors for what we own, positioned at the committed offsets (or
    // reset on the first rebalance with resetOffsetOnStart).
    const fresh = owned.filter((p) => !engine.cursor(topic.name, p.id))
      .sort((a, b) => a.id - b.id);
    engine.assign(fresh.map((p) => ({ topic, partition: p.id })));
    const unpositioned = engine.cursors.filter((c) =>
      !c.positioned && c.resetting === 0
    );
    if (unpositioned.length > 0) {
      if (this.#resetPending) {
        await this.#offsets.reset(
          new Map(unpositioned.map((c) => [c, this.#o.autoOffsetReset])),
          true,
          signal,
          true,
        );
      } else if (this.#offsets.hasGroup) {
        const got = await this.#offsets.fetch(
          unpositioned,
          true,
          signal,
          true,
        );
        for (const [c, s] of got) if (s.offset >= 0) c.lastCommitted = s.offset;
      }
    }
    if (conflicts.length === 0 && !leaderless) this.#resetPending = false;
    // Confirmed only by a step that ran wholly on one connected session
    // with no loss reported meanwhile.
    if (
      group.zk.state === "connected" &&
      group.zk.sessionGeneration === generation && !this.#lostPending
    ) {
      engine.resume(engine.cursors.filter((c) => c.paused));
      this.#settle();
    }

    const after = heldOf(engine.cursors);
    if (
      after.size !== before.size ||
      [...after.keys()].some((k) => !before.has(k))
    ) {
      this.stats.changes++;
      await this.#host.changed(before, after, signal);
    }
    if (leaderless && conflicts.length === 0) {
      throw new LeaderNotFoundError(
        `partition ${topic.name}/${
          (leaderless as Partition).id
        } has no leader; claiming it later`,
      );
    }
    return conflicts;
  }
}
