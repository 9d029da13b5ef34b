/**
 * The public types of {@linkcode ZookeeperClient}: its states, session id,
 * options, node metadata and standing watches.
 *
 * @module
 */

/**
 * The state of a {@linkcode ZookeeperClient} (kazoo's `KazooState`, plus
 * `connecting` and `closed`):
 *
 * - `connecting`: no session yet (before `start()` resolves, and after a
 *   session was lost, while a new one is made);
 * - `connected`: a session, on a live connection;
 * - `suspended`: the connection dropped; the session (its ephemeral nodes,
 *   its watches) lives on if a server is reached again within the session
 *   timeout;
 * - `lost`: the session expired: its ephemeral nodes are gone. A new
 *   session follows at once (`connecting`, then `connected` with a higher
 *   `sessionGeneration`);
 * - `closed`: after `close()`.
 *
 * @example
 * ```ts
 * import { ZookeeperClient, type ZookeeperState } from "../../mod.ts";
 * const zk = new ZookeeperClient("127.0.0.1:2181");
 * const seen: ZookeeperState[] = [zk.state]; // "connecting" before start()
 * const off = zk.onStateChange((s) => seen.push(s));
 * off();
 * console.log(seen);
 * ```
 */
export type ZookeeperState =
  | "connecting"
  | "connected"
  | "suspended"
  | "lost"
  | "closed";

/**
 * A session's id and password (kazoo's `client_id`), to resume it elsewhere.
 *
 * @example
 * ```ts
 * import { ZookeeperClient, type ZookeeperClientId } from "../../mod.ts";
 * // From another client's `clientId`, e.g. saved before a restart.
 * const id: ZookeeperClientId = {
 *   sessionId: "0100000a2b3c4d5e",
 *   password: new Uint8Array(16),
 * };
 * const zk = new ZookeeperClient("127.0.0.1:2181", { clientId: id });
 * console.log(zk.clientId); // null until start() resumes the session
 * ```
 */
export interface ZookeeperClientId {
  /** The session id, 16 hex digits. */
  sessionId: string;
  /** The session password (16 bytes). */
  password: Uint8Array;
}

/**
 * Options of a {@linkcode ZookeeperClient}. Checked by the constructor: an
 * unknown option or a wrong type is a `TypeError`, a value out of range a
 * `RangeError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ZookeeperClient, type ZookeeperClientOptions } from "../../mod.ts";
 * const options: ZookeeperClientOptions = {
 *   sessionTimeoutMs: 10_000,
 *   connectionTimeoutMs: 3_000,
 * };
 * const zk = new ZookeeperClient("zk1:2181,zk2:2181/kafka", options); // no I/O yet
 * assert.equal(zk.sessionTimeoutMs, 10_000);
 * assert.throws(
 *   () => new ZookeeperClient("zk1:2181", { sessionTimeoutMs: 0 }),
 *   RangeError,
 * );
 * ```
 */
export interface ZookeeperClientOptions {
  /**
   * The session timeout to ask for, in ms (default 6000, pykafka's
   * `zookeeper_connection_timeout_ms`, which it gives kazoo as its
   * timeout). The server bounds it (by default to 2..20 × its `tickTime`).
   */
  sessionTimeoutMs?: number;
  /** How long `start()` waits for a session, in ms (default: `sessionTimeoutMs`). */
  connectionTimeoutMs?: number;
  /**
   * How long one request may take, waiting for a connection included, in
   * ms (default: `sessionTimeoutMs`). Requests whose connection drops are
   * sent again on the next connection within this time.
   */
  requestTimeoutMs?: number;
  /** Resume this session instead of making a new one (kazoo's `client_id`). */
  clientId?: ZookeeperClientId;
}

/**
 * A node's metadata (ZooKeeper's `Stat`, the fields denokafka uses).
 *
 * @example
 * ```ts
 * import type { ZookeeperStat } from "../../mod.ts";
 * // Which of two nodes is older, and whether one is ephemeral:
 * const older = (a: ZookeeperStat, b: ZookeeperStat) =>
 *   a.czxid < b.czxid ? a : b;
 * const isEphemeral = (s: ZookeeperStat) => s.ephemeralOwner !== null;
 * const s: ZookeeperStat = {
 *   czxid: "0000000000000010",
 *   version: 0,
 *   cversion: 0,
 *   ephemeralOwner: "0100000a2b3c4d5e",
 *   dataLength: 5,
 *   numChildren: 0,
 * };
 * console.log(older(s, { ...s, czxid: "0000000000000020" }) === s, isEphemeral(s));
 * ```
 */
export interface ZookeeperStat {
  /**
   * The transaction that created it (16 hex digits): nodes created earlier
   * compare lower (as text too).
   */
  czxid: string;
  /** Changes of its data. */
  version: number;
  /** Changes of its children. */
  cversion: number;
  /** The session owning it when ephemeral (16 hex digits), else `null`. */
  ephemeralOwner: string | null;
  /** Bytes of data. */
  dataLength: number;
  /** Number of children. */
  numChildren: number;
}

/**
 * A node's data and metadata, from {@linkcode ZookeeperClient.get}.
 *
 * @example
 * ```ts
 * import type { ZookeeperNode } from "../../mod.ts";
 * // The text of a node (pykafka stores member ids and topics as UTF-8).
 * const text = (n: ZookeeperNode) =>
 *   n.data ? new TextDecoder().decode(n.data) : "";
 * console.log(text({
 *   data: new TextEncoder().encode("orders"),
 *   stat: {
 *     czxid: "0000000000000010",
 *     version: 0,
 *     cversion: 0,
 *     ephemeralOwner: null,
 *     dataLength: 6,
 *     numChildren: 0,
 *   },
 * }));
 * ```
 */
export interface ZookeeperNode {
  /** The data (`null` when the node has none). */
  data: Uint8Array | null;
  /** The metadata. */
  stat: ZookeeperStat;
}

/**
 * Options of {@linkcode ZookeeperClient.create}.
 *
 * @example
 * ```ts
 * import type { ZookeeperCreateOptions } from "../../mod.ts";
 * // A member's node: gone when its session ends; parents made as needed.
 * const member: ZookeeperCreateOptions = {
 *   ephemeral: true,
 *   makepath: true,
 *   signal: AbortSignal.timeout(5_000),
 * };
 * console.log(member.ephemeral);
 * ```
 */
export interface ZookeeperCreateOptions {
  /** Deleted when the session ends (default `false`). */
  ephemeral?: boolean;
  /** Create missing parents (persistent, without data; default `false`). */
  makepath?: boolean;
  /** Ends the wait; the request may still be applied. */
  signal?: AbortSignal;
}

/**
 * Options of the reading requests (`get`, `getChildren`, `exists`).
 *
 * @example
 * ```ts
 * import type { ZookeeperReadOptions } from "../../mod.ts";
 * let changed = false;
 * const once: ZookeeperReadOptions = { watch: () => (changed = true) };
 * once.watch?.(); // ZooKeeper calls it once, on the next change
 * console.log(changed);
 * ```
 */
export interface ZookeeperReadOptions {
  /**
   * A one-time watch: called once when the node (or, for `getChildren`,
   * its list of children) changes or the node is deleted. Watches of a
   * session that is lost never fire.
   */
  watch?: () => void;
  /** Ends the wait. */
  signal?: AbortSignal;
}

/**
 * A standing watch from {@linkcode ZookeeperClient.watchChildren}.
 *
 * @example
 * ```ts
 * import { ZookeeperClient } from "@denokafka/kafka";
 *
 * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181/kafka"; // with the cluster's chroot
 * await using zk = await ZookeeperClient.connect(zookeeper);
 * const brokers = await zk.watchChildren("/brokers/ids", (ids) => {
 *   console.log("brokers now", ids);
 * });
 * console.log("brokers at first", brokers.children);
 * brokers.cancel();
 * ```
 */
export interface ChildrenWatch {
  /** The children as last seen. */
  readonly children: readonly string[];
  /** Stops watching (the listener is not called any more). */
  cancel(): void;
}
