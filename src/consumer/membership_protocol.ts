/**
 * Group membership protocols (pykafka's `GroupMembershipProtocol`): how the
 * members of a consumer group split the partitions between them.
 *
 * - {@linkcode RangeProtocol} (pykafka's default) gives each member one
 *   contiguous slice of the sorted partitions;
 * - {@linkcode RoundRobinProtocol} deals the sorted partitions out one by
 *   one.
 *
 * Both sort exactly as pykafka 2.8 does, so a pykafka member and a
 * denokafka member of one ZooKeeper-coordinated group compute the same
 * split: partitions by the string `"<topic>-<leader id>-<partition id>"`
 * (compared as text: `"1-10"` sorts before `"1-2"`, and the topic is written
 * as Python 3 prints a `bytes` value, `b'name'`), participants by the bytes
 * of their ids. A custom protocol is any object of this shape.
 *
 * @example
 * ```ts
 * import { RangeProtocol, type ProtocolPartition } from "./membership_protocol.ts";
 * const parts: ProtocolPartition[] = [0, 1, 2].map((id) => ({
 *   id,
 *   topic: { name: "t" },
 *   leaderId: 1,
 * }));
 * const mine = RangeProtocol.decidePartitions(["a", "b"], parts, "a");
 * console.assert(mine.map((p) => p.id).join() === "0,1");
 * ```
 *
 * @module
 */

/**
 * What a protocol needs of a partition: its id, its topic's name and its
 * leader's id (a cluster `Partition` has all three).
 */
export interface ProtocolPartition {
  /** The partition id. */
  readonly id: number;
  /** The partition's topic. */
  readonly topic: { readonly name: string };
  /** The id of the partition's leader broker (-1 when it has none). */
  readonly leaderId: number;
}

/**
 * A group membership protocol (pykafka's `GroupMembershipProtocol`): a name
 * every member of a group must agree on, and the function that decides which
 * partitions a member owns.
 */
export interface GroupMembershipProtocol {
  /** The protocol type (`"consumer"` for consumer groups). */
  readonly protocolType: string;
  /** The protocol name (`"range"`, `"roundrobin"`, or a custom one). */
  readonly protocolName: string;
  /**
   * The partitions `consumerId` owns among `participants` (every member's
   * id, this one's included). Every member calls it with the same
   * participants and partitions, and the results must be disjoint and cover
   * every partition.
   */
  decidePartitions<P extends ProtocolPartition>(
    participants: readonly string[],
    partitions: readonly P[],
    consumerId: string,
  ): P[];
}

const ENCODER = new TextEncoder();

/** Python 3's `repr()` of the UTF-8 bytes of `text` (`b'name'`). */
export function pythonBytesRepr(text: string): string {
  const bytes = ENCODER.encode(text);
  const hasSingle = bytes.includes(0x27);
  const hasDouble = bytes.includes(0x22);
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = "b" + quote;
  for (const b of bytes) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === quote.charCodeAt(0)) out += "\\" + quote;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\x" + b.toString(16).padStart(2, "0");
  }
  return out + quote;
}

/** Compares two strings by their UTF-8 bytes (Python's order for `bytes`). */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const x = ENCODER.encode(a);
  const y = ENCODER.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/** Python's `sorted()` of unicode strings: by code point. */
function compareCodePoints(a: string, b: string): number {
  // Both keys are ASCII apart from the topic's repr, which is ASCII too.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Partitions in pykafka's order: sorted by
 * `"<repr(topic name bytes)>-<leader id>-<partition id>"` as text.
 */
export function sortPartitionsPykafka<P extends ProtocolPartition>(
  partitions: readonly P[],
): P[] {
  const keyed = partitions.map((p) => ({
    p,
    key: `${pythonBytesRepr(p.topic.name)}-${p.leaderId}-${p.id}`,
  }));
  keyed.sort((a, b) => compareCodePoints(a.key, b.key));
  return keyed.map((k) => k.p);
}

function prepare<P extends ProtocolPartition>(
  participants: readonly string[],
  partitions: readonly P[],
  consumerId: string,
): { sorted: P[]; members: string[]; index: number } {
  const members = [...participants].sort(compareBytes);
  const index = members.indexOf(consumerId);
  if (index < 0) {
    throw new RangeError(
      `consumer id ${
        JSON.stringify(consumerId)
      } is not among the group's participants (${members.length})`,
    );
  }
  return { sorted: sortPartitionsPykafka(partitions), members, index };
}

/**
 * pykafka's range protocol: with `P` partitions and `C` members, the member
 * at sorted position `i` gets the `floor(P/C) + (i < P % C ? 1 : 0)`
 * partitions starting at `floor(P/C) * i + min(i, P % C)`.
 *
 * @example
 * ```ts
 * import { RangeProtocol } from "./membership_protocol.ts";
 * console.assert(RangeProtocol.protocolName === "range");
 * ```
 */
export const RangeProtocol: GroupMembershipProtocol = Object.freeze({
  protocolType: "consumer",
  protocolName: "range",
  decidePartitions<P extends ProtocolPartition>(
    participants: readonly string[],
    partitions: readonly P[],
    consumerId: string,
  ): P[] {
    const { sorted, members, index } = prepare(
      participants,
      partitions,
      consumerId,
    );
    const per = Math.floor(sorted.length / members.length);
    const rest = sorted.length % members.length;
    const start = per * index + Math.min(index, rest);
    return sorted.slice(start, start + per + (index < rest ? 1 : 0));
  },
});

/**
 * pykafka's round-robin protocol: the `i`-th sorted partition goes to the
 * member at sorted position `i mod C`.
 *
 * @example
 * ```ts
 * import { RoundRobinProtocol } from "./membership_protocol.ts";
 * console.assert(RoundRobinProtocol.protocolName === "roundrobin");
 * ```
 */
export const RoundRobinProtocol: GroupMembershipProtocol = Object.freeze({
  protocolType: "consumer",
  protocolName: "roundrobin",
  decidePartitions<P extends ProtocolPartition>(
    participants: readonly string[],
    partitions: readonly P[],
    consumerId: string,
  ): P[] {
    const { sorted, members, index } = prepare(
      participants,
      partitions,
      consumerId,
    );
    return sorted.filter((_, i) => i % members.length === index);
  },
});
