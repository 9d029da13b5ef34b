// A ZooKeeper-coordinated consumer group in pykafka 2.8's layout, so that
// pykafka members and ours share one group:
//
//   /consumers/<group>/ids/<consumer id>      ephemeral, data: the topic name
//   /consumers/<group>/owners/<topic dir>     persistent
//   /consumers/<group>/owners/<topic dir>/<leader id>-<partition id>
//                                             ephemeral, data: the owner's id
//
// where <topic dir> is the topic name as Python 3 formats a bytes value
// (`b'<topic>'`): pykafka builds the path with str.format() of the topic's
// name, which is bytes. (The Scala consumer's layout differs: JSON ids,
// owners named by partition id only.)
//
// This module reads and writes those nodes and watches what triggers a
// rebalance; the rebalance itself is in _zk_rebalance.ts.

import {
  KafkaError,
  PartitionOwnedError,
  ZookeeperError,
} from "../errors/mod.ts";
import type { ChildrenWatch, ZookeeperClient } from "../cluster/mod.ts";
import { compareBytes, pythonBytesRepr } from "./membership_protocol.ts";

const ENC = new TextEncoder();
const DEC = new TextDecoder();

/** One owner node of a partition. */
export interface OwnerNode {
  /** The node's name (`<leader id>-<partition id>`). */
  name: string;
  /** The partition id parsed from the name. */
  partition: number;
  /** The owner's consumer id (the node's data). */
  owner: string;
  /** The session holding it (hex), `null` if persistent. */
  session: string | null;
  /** Its creation (czxid, 16 hex digits): the oldest node of a partition wins. */
  created: string;
}

function isCode(e: unknown, code: number): boolean {
  return e instanceof ZookeeperError && e.zkCode === code;
}

/** The paths of one (group, topic), pykafka's. */
export function groupPaths(group: string, topic: string): {
  ids: string;
  owners: string;
} {
  return {
    ids: `/consumers/${group}/ids`,
    owners: `/consumers/${group}/owners/${pythonBytesRepr(topic)}`,
  };
}

/** A member's view of its group in ZooKeeper. */
export class ZookeeperGroup {
  readonly zk: ZookeeperClient;
  readonly group: string;
  readonly topic: string;
  readonly consumerId: string;
  readonly idsPath: string;
  readonly ownersPath: string;
  readonly selfPath: string;
  readonly #topicBytes: Uint8Array;
  #watches: ChildrenWatch[] = [];

  constructor(
    zk: ZookeeperClient,
    group: string,
    topic: string,
    consumerId: string,
  ) {
    this.zk = zk;
    this.group = group;
    this.topic = topic;
    this.consumerId = consumerId;
    const p = groupPaths(group, topic);
    this.idsPath = p.ids;
    this.ownersPath = p.owners;
    this.selfPath = `${p.ids}/${consumerId}`;
    this.#topicBytes = ENC.encode(topic);
  }

  /** Creates the persistent paths (pykafka's `ensure_path` of the owners path). */
  async setup(signal: AbortSignal): Promise<void> {
    await this.zk.ensurePath(this.ownersPath, signal);
    await this.zk.ensurePath(this.idsPath, signal);
  }

  /**
   * Registers this member: its ephemeral id node holding the topic name.
   * A node of ours left by an earlier attempt (same session) is kept; one
   * of another session is replaced.
   */
  async register(signal: AbortSignal): Promise<void> {
    try {
      await this.zk.create(this.selfPath, this.#topicBytes, {
        ephemeral: true,
        makepath: true,
        signal,
      });
    } catch (e) {
      if (!isCode(e, ZookeeperError.NODE_EXISTS)) throw e;
      const mine = this.zk.clientId?.sessionId ?? null;
      let stat;
      try {
        stat = (await this.zk.get(this.selfPath, { signal })).stat;
      } catch (e2) {
        if (isCode(e2, ZookeeperError.NO_NODE)) return this.register(signal);
        throw e2;
      }
      if (stat.ephemeralOwner === mine) return;
      await this.#deleteQuietly(this.selfPath, signal);
      return this.register(signal);
    }
  }

  /** Deletes this member's id node (if it is there). */
  unregister(signal?: AbortSignal): Promise<void> {
    return this.#deleteQuietly(this.selfPath, signal);
  }

  /**
   * The members consuming this topic (pykafka's `_get_participants`): the
   * ids whose node holds this topic's name, sorted by their bytes.
   */
  async participants(signal: AbortSignal): Promise<string[]> {
    let ids: string[];
    try {
      ids = await this.zk.getChildren(this.idsPath, { signal });
    } catch (e) {
      if (isCode(e, ZookeeperError.NO_NODE)) return [];
      throw e;
    }
    const out: string[] = [];
    await Promise.all(ids.map(async (id) => {
      try {
        const n = await this.zk.get(`${this.idsPath}/${id}`, { signal });
        if (n.data && sameBytes(n.data, this.#topicBytes)) out.push(id);
      } catch (e) {
        // gone between the listing and the read
        if (!isCode(e, ZookeeperError.NO_NODE)) throw e;
      }
    }));
    return out.sort(compareBytes);
  }

  /** Every owner node of this topic, by partition id. */
  async owners(signal: AbortSignal): Promise<Map<number, OwnerNode[]>> {
    let names: string[];
    try {
      names = await this.zk.getChildren(this.ownersPath, { signal });
    } catch (e) {
      if (isCode(e, ZookeeperError.NO_NODE)) return new Map();
      throw e;
    }
    const out = new Map<number, OwnerNode[]>();
    await Promise.all(names.map(async (name) => {
      const m = /^(-?\d+)-(\d+)$/.exec(name);
      if (!m) return; // not pykafka's
      try {
        const n = await this.zk.get(`${this.ownersPath}/${name}`, { signal });
        const node: OwnerNode = {
          name,
          partition: Number(m[2]),
          owner: n.data ? DEC.decode(n.data) : "",
          session: n.stat.ephemeralOwner,
          created: n.stat.czxid,
        };
        const list = out.get(node.partition) ?? [];
        list.push(node);
        out.set(node.partition, list);
      } catch (e) {
        if (!isCode(e, ZookeeperError.NO_NODE)) throw e;
      }
    }));
    return out;
  }

  /**
   * Takes a partition: creates `<leader>-<partition>` holding our id and
   * reads it back. A node of ours already there counts as taken; one of
   * another member is a `PartitionOwnedError` naming the owner.
   */
  async claim(
    partition: number,
    leaderId: number,
    signal: AbortSignal,
  ): Promise<OwnerNode> {
    const name = `${leaderId}-${partition}`;
    const path = `${this.ownersPath}/${name}`;
    try {
      await this.zk.create(path, ENC.encode(this.consumerId), {
        ephemeral: true,
        signal,
      });
    } catch (e) {
      if (!isCode(e, ZookeeperError.NODE_EXISTS)) throw e;
    }
    let n;
    try {
      n = await this.zk.get(path, { signal });
    } catch (e) {
      // Released meanwhile: try again.
      if (isCode(e, ZookeeperError.NO_NODE)) {
        return this.claim(partition, leaderId, signal);
      }
      throw e;
    }
    const owner = n.data ? DEC.decode(n.data) : "";
    if (
      owner === this.consumerId &&
      n.stat.ephemeralOwner === (this.zk.clientId?.sessionId ?? null)
    ) {
      return {
        name,
        partition,
        owner,
        session: n.stat.ephemeralOwner,
        created: n.stat.czxid,
      };
    }
    throw ownedBy(this.topic, partition, owner, path);
  }

  /**
   * Releases an owner node of ours: deleted only while it still holds our
   * id (a node of another member is never deleted); a missing node is
   * fine (pykafka PR #771).
   */
  async release(node: OwnerNode, signal?: AbortSignal): Promise<void> {
    const path = `${this.ownersPath}/${node.name}`;
    let n;
    try {
      n = await this.zk.get(path, { signal });
    } catch (e) {
      if (isCode(e, ZookeeperError.NO_NODE)) return;
      throw e;
    }
    if (!n.data || DEC.decode(n.data) !== this.consumerId) return;
    try {
      await this.zk.delete(path, { version: n.stat.version, signal });
    } catch (e) {
      if (
        !isCode(e, ZookeeperError.NO_NODE) &&
        !isCode(e, ZookeeperError.BAD_VERSION)
      ) throw e;
    }
  }

  /**
   * Calls `onGone` once when the owner node `path` (of another member) is
   * deleted or changes, so a waiting claim retries at once.
   */
  async watchRelease(name: string, onGone: () => void): Promise<void> {
    const path = `${this.ownersPath}/${name}`;
    try {
      await this.zk.get(path, { watch: onGone });
    } catch (e) {
      if (isCode(e, ZookeeperError.NO_NODE)) onGone();
      // Other errors: the backoff retries anyway.
    }
  }

  /**
   * Watches what triggers a rebalance (pykafka's watches): the brokers
   * (`/brokers/ids`, which must exist), the topics (`/brokers/topics`:
   * only when this topic appears or goes; pykafka rebalanced on every
   * topic created anywhere) and the group's members
   * (`/consumers/<group>/ids`). `onChange` runs after each change, not for
   * the first listing.
   */
  async watch(onChange: (what: string) => void): Promise<void> {
    this.unwatch();
    try {
      this.#watches.push(
        await this.zk.watchChildren("/brokers/ids", () => onChange("brokers")),
      );
    } catch (e) {
      if (isCode(e, ZookeeperError.NO_NODE)) {
        throw new KafkaError(
          `ZooKeeper ${this.zk.hosts}: the broker path "/brokers/ids" does not exist -- is your Kafka cluster running, and is the chroot right?`,
          { cause: e },
        );
      }
      throw e;
    }
    try {
      // Topics come and go all the time on a shared cluster: only this
      // topic's appearing or going away changes the split.
      let present = false;
      const topics = await this.zk.watchChildren("/brokers/topics", (names) => {
        const now = names.includes(this.topic);
        if (now !== present) {
          present = now;
          onChange("topics");
        }
      });
      present = topics.children.includes(this.topic);
      this.#watches.push(topics);
      this.#watches.push(
        await this.zk.watchChildren(this.idsPath, () => onChange("members")),
      );
    } catch (e) {
      this.unwatch();
      throw e;
    }
  }

  /** Stops the watches. */
  unwatch(): void {
    for (const w of this.#watches) w.cancel();
    this.#watches = [];
  }

  async #deleteQuietly(path: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.zk.delete(path, { signal });
    } catch (e) {
      if (!isCode(e, ZookeeperError.NO_NODE)) throw e;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `PartitionOwnedError` naming the owner. */
export function ownedBy(
  topic: string,
  partition: number,
  owner: string,
  path: string,
): PartitionOwnedError {
  return new PartitionOwnedError(topic, partition, {
    message: `Partition ${topic}/${partition} is owned by consumer ${
      JSON.stringify(owner)
    } (${path}).`,
  });
}
