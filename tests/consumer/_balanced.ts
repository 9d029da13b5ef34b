// Helpers of the BalancedConsumer (ZooKeeper) tests: members of one group,
// reading the group's nodes, waiting for a balanced group, forcing a
// ZooKeeper session to expire, and consuming concurrently.
import assert from "node:assert/strict";
import {
  type BalancedConsumer,
  type BalancedConsumerOptions,
  type Topic,
  ZookeeperClient,
  type ZookeeperClientId,
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
 * Expires `victim`'s session from outside, as the server does when a
 * session times out: a raw connection attaches to the same session (its id
 * and password), which makes the server close the victim's connection, and
 * closes the session in the same write (a ConnectRequest followed at once by
 * a CloseSession request: the victim's reconnect cannot get in between).
 * Resolves when the victim has a new session.
 */
export async function expireSession(victim: ZookeeperClient): Promise<void> {
  const before = victim.sessionGeneration;
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = victim.clientId;
    if (id) await closeSessionRaw(victim.hosts, id);
    try {
      await waitFor(() => victim.sessionGeneration > before, {
        timeoutMs: 5000,
        intervalMs: 20,
      });
      return;
    } catch {
      // not yet (no session to close at that moment)
    }
  }
  assert.fail("could not expire the ZooKeeper session");
}

/** ConnectRequest (resuming `id`) and CloseSession on one connection. */
async function closeSessionRaw(
  hosts: string,
  id: ZookeeperClientId,
): Promise<void> {
  const first = hosts.split("/")[0].split(",")[0];
  const colon = first.lastIndexOf(":");
  const conn = await Deno.connect({
    hostname: first.slice(0, colon),
    port: Number(first.slice(colon + 1)),
  });
  // A server that does not close the connection is not waited for long.
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed */ }
  }, 5000);
  try {
    // ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId,
    // passwd (length-prefixed), readOnly.
    const connect = new Uint8Array(4 + 4 + 8 + 4 + 8 + 4 + 16 + 1);
    const cv = new DataView(connect.buffer);
    cv.setInt32(0, connect.length - 4);
    cv.setInt32(16, 30_000);
    cv.setBigInt64(20, BigInt.asIntN(64, BigInt(`0x${id.sessionId}`)));
    cv.setInt32(28, 16);
    connect.set(id.password.subarray(0, 16), 32);
    // CloseSession: xid 1, type -11.
    const close = new Uint8Array(12);
    const xv = new DataView(close.buffer);
    xv.setInt32(0, 8);
    xv.setInt32(4, 1);
    xv.setInt32(8, -11);
    const both = new Uint8Array(connect.length + close.length);
    both.set(connect);
    both.set(close, connect.length);
    let off = 0;
    while (off < both.length) off += await conn.write(both.subarray(off));
    // The server answers both, then closes the connection.
    const buf = new Uint8Array(1024);
    while (await conn.read(buf) !== null) { /* the answers */ }
  } catch {
    // closed: done
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/** A ZooKeeper client of the test cluster (with its chroot). */
export function zookeeper(): Promise<ZookeeperClient> {
  return ZookeeperClient.connect(ZK);
}
