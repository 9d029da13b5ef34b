// A group member's offsets: the consumer's offsets (pykafka's semantics)
// with commits that survive a rebalance. A commit waits for a valid
// generation; a commit the coordinator rejects because the group is
// rebalancing (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION,
// UNKNOWN_MEMBER_ID, and KIP-848's STALE/FENCED_MEMBER_EPOCH) is tried
// again after the rejoin for the partitions still assigned; partitions that
// moved to another member meanwhile are reported in the error thrown,
// never dropped silently.

import { errorForCode, KafkaError } from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { Cursor } from "./_cursor.ts";
import {
  type CommitIdentity,
  ConsumerOffsets,
  type OffsetSettings,
} from "./_consumer_offsets.ts";
import type { FetchEngine } from "./fetch_engine.ts";
import type { OffsetStore } from "./_offset_store.ts";
import {
  describePartitions,
  type Membership,
  REBALANCE_CODES,
} from "./_membership.ts";

/** How many rejoins one commit rides out before it reports failure. */
const COMMIT_REJOINS = 3;

/** {@linkcode ConsumerOffsets} for a group member. */
export class GroupOffsets extends ConsumerOffsets {
  readonly #engine: FetchEngine;
  readonly #membership: () => Membership | undefined;
  readonly #waitMs: number;
  readonly #group: string;
  readonly #identity: CommitIdentity;
  /**
   * > 0 while commits must not wait for a rebalance (the consumer is
   * stopping, or a rebalance listener runs: the rebalance waits for it).
   */
  noWait = 0;

  constructor(
    engine: FetchEngine,
    store: OffsetStore,
    settings: OffsetSettings,
    identity: CommitIdentity,
    membership: () => Membership | undefined,
    waitMs: number,
  ) {
    super(engine, store, settings, identity);
    this.#engine = engine;
    this.#membership = membership;
    this.#waitMs = waitMs;
    this.#group = store.group;
    this.#identity = identity;
  }

  override commit(
    offsets: ReadonlyMap<Cursor, number> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const todo = offsets === undefined
      ? this.consumedTargets()
      : new Map(offsets);
    if (todo.size === 0) return Promise.resolve();
    return this.#commit(todo, signal);
  }

  async #commit(
    todo: Map<Cursor, number>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const m = this.#membership();
    if (!m) {
      throw new KafkaError(
        `group ${
          JSON.stringify(this.#group)
        }: the consumer has not joined (start it first)`,
      );
    }
    const moved: Cursor[] = [];
    let last: KafkaError | undefined;
    for (let round = 0;; round++) {
      if (!m.hasGeneration) {
        if (this.noWait > 0) {
          throw new KafkaError(
            `group ${JSON.stringify(this.#group)}: cannot commit ${
              describe(todo.keys())
            } now: this member holds no valid generation (a rebalance is in progress)`,
          );
        }
        await m.waitStable(-1, this.#waitMs, signal);
      }
      const seq = m.stableSeq;
      const generation = this.#identity.generationId;
      try {
        await super.commit(todo, signal);
        break;
      } catch (e) {
        if (!(e instanceof KafkaError) || !REBALANCE_CODES.has(e.code)) {
          throw e;
        }
        m.stats.commitRebalanceErrors++;
        if (this.noWait > 0 || round >= COMMIT_REJOINS) throw e;
        last = e;
        m.commitFailed(e, generation);
        await m.waitStable(seq, this.#waitMs, signal).catch((w) => {
          throw new KafkaError(
            `committing ${describe(todo.keys())} for group ${
              JSON.stringify(this.#group)
            }: ${errorText(e)}; then ${errorText(w)}`,
            { cause: e, code: e.code },
          );
        });
      }
      // Commit again what this member holds after the rejoin (an eager
      // rebalance gives a partition kept a new cursor), unless that cursor
      // committed past this offset meanwhile; report what moved away.
      const again = new Map<Cursor, number>();
      for (const [c, o] of todo) {
        const now = this.#engine.cursor(c.topic.name, c.id);
        if (!now) moved.push(c);
        else if (!(now.lastCommitted >= o)) again.set(now, o);
      }
      todo = again;
      if (todo.size === 0) break;
    }
    if (moved.length > 0) {
      const code = last?.code ?? 27;
      throw errorForCode(
        code,
        `group ${JSON.stringify(this.#group)}: the offsets of ${
          describe(moved)
        } were not committed: a rebalance moved those partitions to another member before the commit went through (${
          last ? errorText(last) : "rebalance"
        })${todo.size > 0 ? `; ${describe(todo.keys())} were committed` : ""}`,
        { cause: last },
      );
    }
  }
}

function describe(cursors: Iterable<Cursor>): string {
  return describePartitions(
    [...cursors].map((c) => ({ topic: c.topic.name, partition: c.id })),
  );
}
