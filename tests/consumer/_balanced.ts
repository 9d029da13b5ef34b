// Helpers of the BalancedConsumer (ZooKeeper) tests: members of one group,
// reading the group's nodes, waiting for a balanced group, forcing a
// ZooKeeper session to expire, and consuming concurrently.
import assert from "node:assert/strict";
import {
  type BalancedConsumer,
  type BalancedConsumerOptions,
  type Topic,
  ZookeeperClient,
} from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import { waitFor } from "../wait_for.ts";

/** The Kafka 3.9 cluster's ZooKeeper, with its chroot. */
export const ZK: string = cluster.zookeeper;

/** A member of `group` on `topic` with test-friendly timings. */
export function member(
  topic: Topic,
  group: string,
  options: Partial<BalancedConsumerOptions> = {},
): BalancedConsumer {
  return topic.getBalancedConsumer({
    consumerGroup: group,
    zookeeperHosts: ZK,
    rebalanceBackoffMs: 300,
    consumerTimeoutMs: 300,
    ...options,
  });
}

/** The group's owner nodes of `topic` as pykafka lays them out. */
export async function ownerNodes(
  zk: ZookeeperClient,
  group: string,
  topic: string,
): Promise<{ name: string; owner: string; ephemeral: boolean }[]> {
  const dir = `/consumers/${group}/owners/b'${topic}'`;
  let names: string[];
  try {
    names = await zk.getChildren(dir);
  } catch {
    return [];
  }
  const out = [];
  for (const name of names.sort()) {
    try {
      const n = await zk.get(`${dir}/${name}`);
      out.push({
        name,
        owner: new TextDecoder().decode(n.data ?? new Uint8Array()),
        ephemeral: n.stat.ephemeralOwner !== null,
      });
    } catch {
      // released meanwhile
    }
  }
  return out;
}

/** The ids registered in the group (children of `/consumers/<group>/ids`). */
export async function memberIds(
  zk: ZookeeperClient,
  group: string,
): Promise<string[]> {
  try {
    return (await zk.getChildren(`/consumers/${group}/ids`)).sort();
  } catch {
    return [];
  }
}

/**
 * The partitions each member holds, checked: disjoint, covering `count`
 * partitions, sizes differing by at most one. Returns the sets or
 * `undefined` when not (yet) balanced.
 */
export function balanced(
  members: readonly { partitions: Map<number, unknown> }[],
  count: number,
): number[][] | undefined {
  const sets = members.map((m) =>
    [...m.partitions.keys()].sort((a, b) => a - b)
  );
  const all = sets.flat();
  if (all.length !== count || new Set(all).size !== count) return undefined;
  const sizes = sets.map((s) => s.length);
  if (Math.max(...sizes) - Math.min(...sizes) > 1) return undefined;
  return sets;
}

/** Waits until `members` hold every partition once, evenly (and ZooKeeper agrees). */
export async function waitBalanced(
  members: readonly BalancedConsumer[],
  count: number,
  zk: ZookeeperClient,
  timeoutMs = 30_000,
): Promise<number[][]> {
  const group = members[0].consumerGroup;
  const topic = members[0].topic.name;
  return (await waitFor(async () => {
    const sets = balanced(members, count);
    if (!sets) return undefined;
    // ZooKeeper says the same: one owner node per partition, the holder's.
    const nodes = await ownerNodes(zk, group, topic);
    if (nodes.length !== count) return undefined;
    for (const n of nodes) {
      const pid = Number(n.name.split("-")[1]);
      const holder = members.find((m) => m.partitions.has(pid));
      if (!holder || holder.consumerId !== n.owner) return undefined;
    }
    return sets;
  }, {
    timeoutMs,
    intervalMs: 50,
    what: `a balanced group of ${members.length} on ${count} partitions`,
  }))!;
}

/**
 * Expires `victim`'s session from outside: another client attaches to the
 * same session (its id and password) and closes it, as an operator's tool
 * or a ZooKeeper failover would. Retried until the victim has a new
 * session (the victim may re-attach first).
 */
export async function expireSession(victim: ZookeeperClient): Promise<void> {
  const before = victim.sessionGeneration;
  // Each attempt races the victim's re-attach; a loaded machine loses more
  // of them, so allow many.
  for (let attempt = 0; attempt < 40; attempt++) {
    const id = victim.clientId;
    if (id) {
      const killer = new ZookeeperClient(victim.hosts, { clientId: id });
      try {
        await killer.start();
      } catch {
        // the victim took the session back first; try again
      }
      await killer.close();
    }
    try {
      await waitFor(() => victim.sessionGeneration > before, {
        timeoutMs: 1000,
        intervalMs: 20,
      });
      return;
    } catch {
      // not yet
    }
  }
  assert.fail("could not expire the ZooKeeper session");
}

/** A ZooKeeper client of the test cluster (with its chroot). */
export function zookeeper(): Promise<ZookeeperClient> {
  return ZookeeperClient.connect(ZK);
}
