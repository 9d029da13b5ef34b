// Shared by the managed balanced consumer tests: a tracker of who holds
// which partition (fed by every member's rebalance listener, it records any
// moment two members held one partition), waiting for a group to settle,
// and decoding a group's assignment as the coordinator describes it.
import type {
  ManagedBalancedConsumer,
  MultiTopicManagedBalancedConsumer,
  RebalanceListener,
  TopicPartition,
} from "../../mod.ts";
import type { KafkaClient } from "../../src/client/mod.ts";
import { decodeAssignment } from "../../src/consumer/_consumer_protocol.ts";
import { waitFor } from "../wait_for.ts";

const key = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/** Ownership as the listeners report it, with every overlap recorded. */
export class Ownership {
  readonly owner = new Map<string, string>();
  readonly violations: string[] = [];
  readonly events: string[] = [];

  /** The listener for member `name` (wraps `extra`'s methods, if given). */
  listener(name: string, extra: RebalanceListener = {}): RebalanceListener {
    return {
      onPartitionsAssigned: async (ps) => {
        for (const tp of ps) {
          const k = key(tp);
          const o = this.owner.get(k);
          if (o !== undefined && o !== name) {
            this.violations.push(`${k} assigned to ${name} while ${o} held it`);
          }
          this.owner.set(k, name);
        }
        this.events.push(`${name} +${ps.map(key).join(",")}`);
        await extra.onPartitionsAssigned?.(ps);
      },
      onPartitionsRevoked: async (ps) => {
        await extra.onPartitionsRevoked?.(ps);
        for (const tp of ps) {
          if (this.owner.get(key(tp)) === name) this.owner.delete(key(tp));
        }
        this.events.push(`${name} -${ps.map(key).join(",")}`);
      },
      onPartitionsLost: async (ps) => {
        await extra.onPartitionsLost?.(ps);
        for (const tp of ps) {
          if (this.owner.get(key(tp)) === name) this.owner.delete(key(tp));
        }
        this.events.push(`${name} lost ${ps.map(key).join(",")}`);
      },
    };
  }
}

type AnyManaged =
  | ManagedBalancedConsumer<unknown, unknown>
  | MultiTopicManagedBalancedConsumer<unknown, unknown>;

/** Each member's assigned partitions as `t/p` strings. */
export function assignments(members: readonly AnyManaged[]): string[][] {
  return members.map((m) => m.assignment.map(key).sort());
}

/**
 * Waits until the members' assignments are disjoint, cover `all` (`t/p`
 * strings) and `idle` members hold nothing; returns them.
 */
export async function settled(
  members: readonly AnyManaged[],
  all: readonly string[],
  idle: number,
  timeoutMs = 60_000,
): Promise<string[][]> {
  let last: string[][] = [];
  try {
    return (await waitFor(() => {
      last = assignments(members);
      const flat = last.flat();
      const ok = flat.length === all.length &&
        new Set(flat).size === flat.length &&
        all.every((p) => flat.includes(p)) &&
        last.filter((a) => a.length === 0).length === idle;
      return ok ? last : undefined;
    }, { timeoutMs, intervalMs: 100, what: "the group to settle" }))!;
  } catch (e) {
    throw new Error(
      `${(e as Error).message}: assignments ${JSON.stringify(last)}, want ${
        JSON.stringify(all)
      } with ${idle} idle`,
    );
  }
}

/** The partitions of a topic as `t/p` strings. */
export function partitionsOf(topic: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${topic}/${i}`);
}

/**
 * The group's members as the coordinator describes them (DescribeGroups):
 * client id, state, and each member's assignment as `t/p` strings.
 */
export async function describeGroup(
  client: KafkaClient,
  group: string,
): Promise<
  {
    state: string;
    protocol: string;
    members: { clientId: string; assigned: string[] }[];
  }
> {
  const coordinator = await client.cluster.getGroupCoordinator(group);
  const res = await coordinator.describeGroups([group]);
  const g = res.groups[0];
  return {
    state: g.groupState,
    protocol: g.protocolData,
    members: g.members.map((m) => ({
      clientId: m.clientId,
      assigned: decodeAssignment(m.memberAssignment).map(key).sort(),
    })),
  };
}

/** A small deterministic PRNG (mulberry32) for seeded random tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
