// The offsets of a ZooKeeper-coordinated member (BalancedConsumer).
//
// ZooKeeper, not Kafka, says who owns a partition, and Kafka does not fence
// the commit of a member that lost its partitions. So while this member's
// ownership is in doubt (its ZooKeeper connection dropped, and another
// member takes its partitions once the session ends), a commit waits until
// a rebalance step confirms what the member holds. Then it commits the
// partitions still held; those released meanwhile are named in the error
// thrown (RebalanceInProgressError), never dropped silently. The
// rebalance's own commits (before releasing a partition it still owns, and
// the resets of new partitions) are `trusted` and do not wait.

import { errorForCode } from "../errors/mod.ts";
import { describePartitions } from "./_membership.ts";
import type { Cursor } from "./_cursor.ts";
import { ConsumerOffsets } from "./_consumer_offsets.ts";

/** Tells when this member's partitions are confirmed as its own. */
export interface OwnershipGate {
  /**
   * Resolves at once when ownership is not in doubt, else when a rebalance
   * step confirms it; rejects when `signal` aborts, the member leaves, or
   * no confirmation comes within the ZooKeeper session timeout.
   */
  confirmed(signal: AbortSignal | undefined): Promise<void>;
}

/** {@linkcode ConsumerOffsets} whose commits wait for confirmed ownership. */
export class ZookeeperOffsets extends ConsumerOffsets {
  /** Set while the member is in its group. */
  gate: OwnershipGate | undefined;

  override commit(
    offsets: ReadonlyMap<Cursor, number> | undefined,
    signal: AbortSignal | undefined,
    trusted = false,
  ): Promise<void> {
    const gate = this.gate;
    if (trusted || !gate) return super.commit(offsets, signal, trusted);
    // The targets are taken now, so that partitions lost while waiting are
    // reported rather than left out.
    const todo = offsets ?? this.consumedTargets();
    return gate.confirmed(signal).then(() => {
      const held = new Map<Cursor, number>();
      const moved: Cursor[] = [];
      for (const [c, o] of todo) {
        if (c.live) held.set(c, o);
        else moved.push(c);
      }
      const done = super.commit(held, signal, true);
      if (moved.length === 0) return done;
      return done.then(() => {
        throw errorForCode(
          27,
          `the offsets of ${
            names(moved)
          } were not committed: this member released those partitions (its ZooKeeper session ended, or a rebalance moved them) before the commit could go through${
            held.size > 0 ? `; ${names(held.keys())} were committed` : ""
          }`,
        );
      });
    });
  }
}

function names(cursors: Iterable<Cursor>): string {
  return describePartitions(
    [...cursors].map((c) => ({ topic: c.topic.name, partition: c.id })),
  );
}
