// A scripted group coordinator and a recording consumer side, for the
// membership state machines' failure paths that real brokers do not
// produce on demand (ILLEGAL_GENERATION, FENCED_INSTANCE_ID, a coordinator
// that loads or moves, heartbeats that keep failing).
import type { ApiMessage } from "../../src/protocol/mod.ts";
import type {
  ChannelAnswer,
  GroupChannel,
  GroupMetadata,
  Lane,
  MembershipHost,
  RevokeHow,
} from "../../src/consumer/_membership.ts";
import type { TopicPartition } from "../../src/consumer/assignors/assignor.ts";

/** One request the fake coordinator saw. */
export interface Seen {
  api: string;
  lane: Lane;
  // deno-lint-ignore no-explicit-any
  req: any;
}

/** Answers a request (or throws, like a dropped connection). */
// deno-lint-ignore no-explicit-any
export type Handler = (api: string, req: any, lane: Lane) => any;

/** A `GroupChannel` whose coordinator is a function. */
export class FakeChannel implements GroupChannel {
  readonly seen: Seen[] = [];
  gone = 0;
  closed = false;
  handler: Handler;
  readonly versions: Record<string, number>;

  constructor(handler: Handler, versions: Record<string, number> = {}) {
    this.handler = handler;
    this.versions = {
      JoinGroup: 9,
      SyncGroup: 5,
      Heartbeat: 4,
      LeaveGroup: 5,
      ConsumerGroupHeartbeat: 1,
      ...versions,
    };
  }

  get coordinatorId(): number {
    return 1;
  }

  async send<Req, Res>(
    api: ApiMessage<Req, Res>,
    build: (version: number) => Req,
    options: { lane: Lane; timeoutMs: number; signal?: AbortSignal },
  ): Promise<ChannelAnswer<Res>> {
    options.signal?.throwIfAborted();
    const version = this.versions[api.name] ?? 0;
    const req = build(version);
    this.seen.push({ api: api.name, lane: options.lane, req });
    // A microtask hop, like a real round trip.
    await Promise.resolve();
    const response = await this.handler(api.name, req, options.lane);
    return { response: response as Res, version };
  }

  coordinatorGone(): void {
    this.gone++;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Requests of one API. */
  // deno-lint-ignore no-explicit-any
  requests(api: string): any[] {
    return this.seen.filter((s) => s.api === api).map((s) => s.req);
  }
}

const key = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/** A consumer side that records what the membership asked of it. */
export class FakeHost implements MembershipHost {
  held: TopicPartition[] = [];
  readonly log: string[] = [];
  readonly errors: Error[] = [];
  readonly fatals: Error[] = [];
  memberId = "";
  generationId = -1;
  subscribed: string[] = ["t"];
  partitions = 3;
  ids = new Map([["t", "AAAAAAAAAAAAAAAAAAAAAQ"]]);

  topics(): readonly string[] {
    return this.subscribed;
  }

  owned(): TopicPartition[] {
    return [...this.held];
  }

  revoke(partitions: TopicPartition[], how: RevokeHow): Promise<void> {
    this.log.push(
      `revoke ${partitions.map(key).join(",")}${how.commit ? " +commit" : ""}`,
    );
    const gone = new Set(partitions.map(key));
    this.held = this.held.filter((tp) => !gone.has(key(tp)));
    return Promise.resolve();
  }

  lose(partitions: TopicPartition[]): Promise<void> {
    this.log.push(`lose ${partitions.map(key).join(",")}`);
    const gone = new Set(partitions.map(key));
    this.held = this.held.filter((tp) => !gone.has(key(tp)));
    return Promise.resolve();
  }

  assign(partitions: TopicPartition[]): Promise<void> {
    this.log.push(`assign ${partitions.map(key).join(",")}`);
    this.held.push(...partitions);
    return Promise.resolve();
  }

  rebalanced(assigned: TopicPartition[]): Promise<void> {
    this.log.push(`rebalanced +${assigned.length}`);
    return Promise.resolve();
  }

  identity(memberId: string, generationId: number): void {
    this.memberId = memberId;
    this.generationId = generationId;
  }

  metadata(topics: readonly string[]): Promise<GroupMetadata> {
    return Promise.resolve({
      partitionsPerTopic: new Map(
        topics.map((t) => [t, [...Array(this.partitions).keys()]]),
      ),
      leaderOf: () => 1,
    });
  }

  partitionCounts(topics: readonly string[]): Map<string, number> {
    return new Map(topics.map((t) => [t, this.partitions]));
  }

  topicNames(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [name, id] of this.ids) if (ids.includes(id)) out.set(id, name);
    return Promise.resolve(out);
  }

  topicIds(): Map<string, string> {
    return new Map(this.ids);
  }

  error(e: Error): void {
    this.errors.push(e);
  }

  fatal(e: Error): void {
    this.fatals.push(e);
  }

  /** The held partitions as `t/0,t/1`. */
  get holding(): string {
    return this.held.map(key).sort().join(",");
  }
}
