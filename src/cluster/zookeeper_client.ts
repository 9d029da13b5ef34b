/**
 * {@linkcode ZookeeperClient}: a ZooKeeper session that survives, the
 * counterpart of kazoo's `KazooClient` that pykafka's `BalancedConsumer`
 * takes as `zookeeper`. Built on `node-zookeeper-client` (npm), loaded on
 * first use.
 *
 * @module
 */

import { AbortError, KafkaError, ZookeeperError } from "../errors/mod.ts";
import {
  closeClient,
  loadZookeeper,
  type ZkClient,
  type ZkModule,
} from "./zookeeper.ts";
import {
  type BufferCtor,
  EPHEMERAL,
  hex,
  NODE_BUFFER,
  PERSISTENT,
  type RawClient,
  type RawStat,
  statOf,
  unhex,
  zkErrorOf,
} from "./_zookeeper_raw.ts";
import { watchChildren } from "./_zookeeper_children_watch.ts";
import type {
  ChildrenWatch,
  ZookeeperClientId,
  ZookeeperClientOptions,
  ZookeeperCreateOptions,
  ZookeeperNode,
  ZookeeperReadOptions,
  ZookeeperStat,
  ZookeeperState,
} from "./zookeeper_types.ts";

export type {
  ChildrenWatch,
  ZookeeperClientId,
  ZookeeperClientOptions,
  ZookeeperCreateOptions,
  ZookeeperNode,
  ZookeeperReadOptions,
  ZookeeperStat,
  ZookeeperState,
};

interface Pending {
  raw: RawClient;
  fail: (e: unknown) => void;
}

/**
 * A ZooKeeper client that keeps a session, like kazoo's `KazooClient`
 * (pykafka's `BalancedConsumer` option `zookeeper` takes one): it
 * reconnects after a dropped connection (`suspended`, then `connected` with
 * the same session), and after a lost session (`lost`: its ephemeral nodes
 * and watches are gone) it makes a new one at once, so a long-lived program
 * holds one client across ZooKeeper failures. `watchChildren()` is kazoo's
 * `ChildrenWatch`: it is set again on every new session.
 *
 * Requests (`create`, `get`, `getChildren`, `exists`, `delete`,
 * `ensurePath`) wait for a connection and are sent again when the
 * connection drops, within `requestTimeoutMs`; failures are
 * `ZookeeperError`s with ZooKeeper's code (`NODE_EXISTS`, `NO_NODE`, ...).
 * A connection string may end with a chroot (`"zk1:2181,zk2:2181/kafka"`):
 * every path is then under it.
 *
 * `node-zookeeper-client` (npm) is loaded by `start()`, so programs that
 * never use ZooKeeper neither download nor load it. On Node and Bun install
 * it with `npm install node-zookeeper-client@1.1.3`.
 *
 * @example
 * ```ts
 * import { ZookeeperClient } from "@denokafka/kafka";
 *
 * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181/kafka"; // with the cluster's chroot
 * await using zk = await ZookeeperClient.connect(zookeeper);
 * console.log(await zk.getChildren("/brokers/ids"));
 * const watch = await zk.watchChildren("/brokers/ids", (ids) => console.log("brokers now", ids));
 * watch.cancel();
 * ```
 */
export class ZookeeperClient implements AsyncDisposable {
  readonly #hosts: string;
  readonly #sessionTimeoutMs: number;
  readonly #connectionTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  #resume: ZookeeperClientId | undefined;
  #module: ZkModule | undefined;
  #buffer: BufferCtor | undefined;
  #raw: RawClient | undefined;
  #state: ZookeeperState = "connecting";
  #started: Promise<void> | undefined;
  #closed = false;
  #generation = 0;
  #sessionOf: RawClient | undefined;
  readonly #listeners = new Set<(state: ZookeeperState) => void>();
  readonly #pending = new Set<Pending>();
  readonly #cancels = new Set<() => void>();

  /**
   * Creates the client (no I/O until `start()`).
   *
   * @param hosts the connection string, `"host:port,host:port"` with an
   *   optional chroot (`"/kafka"`) at the end
   * @param options session timeout, waits, a session to resume
   */
  constructor(hosts: string, options: ZookeeperClientOptions = {}) {
    if (typeof hosts !== "string" || hosts.trim() === "") {
      throw new TypeError(
        `ZookeeperClient: hosts must be a non-empty connection string ("host:port,host:port/chroot"), got ${
          JSON.stringify(hosts)
        }`,
      );
    }
    const ms = (v: unknown, name: string, dflt: number): number => {
      if (v === undefined) return dflt;
      if (typeof v !== "number" || !Number.isInteger(v)) {
        throw new TypeError(
          `ZookeeperClient option ${name} must be an integer (ms), got ${
            String(v)
          }`,
        );
      }
      if (v < 1 || v > 2_147_483_647) {
        throw new RangeError(
          `ZookeeperClient option ${name} must be from 1 to 2147483647 (ms), got ${v}`,
        );
      }
      return v;
    };
    for (const k of Object.keys(options)) {
      if (
        ![
          "sessionTimeoutMs",
          "connectionTimeoutMs",
          "requestTimeoutMs",
          "clientId",
        ].includes(k)
      ) {
        throw new TypeError(
          `ZookeeperClient: unknown option ${
            JSON.stringify(k)
          }; known options: sessionTimeoutMs, connectionTimeoutMs, requestTimeoutMs, clientId`,
        );
      }
    }
    this.#hosts = hosts;
    this.#sessionTimeoutMs = ms(
      options.sessionTimeoutMs,
      "sessionTimeoutMs",
      6000,
    );
    this.#connectionTimeoutMs = ms(
      options.connectionTimeoutMs,
      "connectionTimeoutMs",
      this.#sessionTimeoutMs,
    );
    this.#requestTimeoutMs = ms(
      options.requestTimeoutMs,
      "requestTimeoutMs",
      this.#sessionTimeoutMs,
    );
    if (options.clientId !== undefined) {
      const id = options.clientId;
      unhex(id?.sessionId, 8, "clientId.sessionId");
      if (!(id.password instanceof Uint8Array) || id.password.length !== 16) {
        throw new TypeError(
          "ZookeeperClient option clientId.password must be a Uint8Array of 16 bytes",
        );
      }
      this.#resume = id;
    }
  }

  /**
   * Creates a client and starts it (see {@linkcode ZookeeperClient.start}).
   *
   * @param hosts the connection string (with an optional chroot)
   * @param options see {@linkcode ZookeeperClientOptions}
   *
   * @example
   * ```ts
   * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181/kafka"; // with the cluster's chroot
   * const zk = await ZookeeperClient.connect(zookeeper);
   * await zk.close();
   * ```
   */
  static async connect(
    hosts: string,
    options?: ZookeeperClientOptions,
  ): Promise<ZookeeperClient> {
    const zk = new ZookeeperClient(hosts, options);
    await zk.start();
    return zk;
  }

  /** The connection string. */
  get hosts(): string {
    return this.#hosts;
  }

  /** The state now (see {@linkcode ZookeeperState}). */
  get state(): ZookeeperState {
    return this.#state;
  }

  /** The session timeout asked for, in ms. */
  get sessionTimeoutMs(): number {
    return this.#sessionTimeoutMs;
  }

  /**
   * Counts sessions: 1 after the first `start()`, one more after each lost
   * session. Ephemeral nodes and watches belong to one session.
   */
  get sessionGeneration(): number {
    return this.#generation;
  }

  /** The current session's id and password (kazoo's `client_id`), `null` without a session. */
  get clientId(): ZookeeperClientId | null {
    const raw = this.#raw;
    if (!raw || this.#sessionOf !== raw) return null;
    return {
      sessionId: hex(raw.getSessionId()),
      password: new Uint8Array(raw.getSessionPassword()),
    };
  }

  /**
   * Calls `listener` with every state change (see
   * {@linkcode ZookeeperState}); returns the function that removes it.
   * Listeners run synchronously; what they throw is ignored.
   *
   * @example
   * ```ts
   * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181/kafka"; // with the cluster's chroot
   * await using zk = await ZookeeperClient.connect(zookeeper);
   * const off = zk.onStateChange((s) => console.log("ZooKeeper", s));
   * off();
   * ```
   */
  onStateChange(listener: (state: ZookeeperState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #setState(s: ZookeeperState): void {
    if (this.#state === s) return;
    this.#state = s;
    for (const l of [...this.#listeners]) {
      try {
        l(s);
      } catch {
        // a listener's problem
      }
    }
  }

  /**
   * Connects and waits for a session, at most `connectionTimeoutMs`
   * (a retriable `ZookeeperError` CONNECTION_LOSS naming the hosts
   * otherwise). Loads node-zookeeper-client on first use. Calling it again
   * returns the same promise; a closed client cannot start again.
   */
  start(signal?: AbortSignal): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new KafkaError(`ZookeeperClient ${this.#hosts} is closed`),
      );
    }
    // Cancelled before it began: no connection is opened for nobody.
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#started ??= this.#start().catch((e) => {
      this.#started = undefined;
      throw e;
    });
    if (!signal) return this.#started;
    return this.#waitFor(this.#started, signal);
  }

  async #start(): Promise<void> {
    this.#module ??= await loadZookeeper();
    this.#buffer ??=
      ((await import(NODE_BUFFER)) as { Buffer: BufferCtor }).Buffer;
    if (this.#closed) {
      throw new KafkaError(`ZookeeperClient ${this.#hosts} is closed`);
    }
    if (!this.#raw) this.#open();
    const deadline = Date.now() + this.#connectionTimeoutMs;
    try {
      await this.#connected(deadline, undefined);
    } catch (e) {
      // Closed while starting: close() has cleaned up; say so.
      if (this.#closed) throw e;
      const raw = this.#raw;
      this.#raw = undefined;
      this.#setState("connecting");
      if (raw) await closeClient(raw as unknown as ZkClient);
      throw new ZookeeperError(ZookeeperError.CONNECTION_LOSS, undefined, {
        message:
          `ZooKeeper ${this.#hosts}: no session within ${this.#connectionTimeoutMs} ms`,
        cause: e,
      });
    }
  }

  /** Makes a raw client and connects it; events of replaced clients are ignored. */
  #open(): void {
    const opts: Record<string, unknown> = {
      sessionTimeout: this.#sessionTimeoutMs,
      spinDelay: 200,
      retries: 0,
    };
    if (this.#resume) {
      const B = this.#buffer!;
      opts.sessionId = B.from(
        unhex(this.#resume.sessionId, 8, "clientId.sessionId"),
      );
      opts.sessionPassword = B.from(this.#resume.password);
      this.#resume = undefined;
    }
    let raw: RawClient;
    try {
      raw = this.#module!.createClient(
        this.#hosts,
        opts,
      ) as unknown as RawClient;
    } catch (e) {
      throw new KafkaError(
        `ZooKeeper ${JSON.stringify(this.#hosts)}: ${
          e instanceof Error ? e.message : String(e)
        }`,
        { cause: e },
      );
    }
    this.#raw = raw;
    this.#setState("connecting");
    raw.on("connected", () => {
      if (this.#raw !== raw || this.#closed) return;
      if (this.#sessionOf !== raw) {
        this.#sessionOf = raw;
        this.#generation++;
      }
      this.#setState("connected");
    });
    raw.on("disconnected", () => {
      if (this.#raw !== raw || this.#closed) return;
      if (this.#state === "connected") this.#setState("suspended");
    });
    raw.on("expired", () => {
      if (this.#raw !== raw || this.#closed) return;
      this.#raw = undefined;
      for (const p of [...this.#pending]) {
        if (p.raw === raw) {
          p.fail(new ZookeeperError(ZookeeperError.SESSION_EXPIRED));
        }
      }
      closeClient(raw as unknown as ZkClient).catch(() => {});
      this.#setState("lost");
      // A new session at once (kazoo does the same).
      if (!this.#closed) this.#open();
    });
    raw.connect();
  }

  /** Resolves when connected (a session on a live connection). */
  #connected(
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<RawClient> {
    const ready = () =>
      this.#state === "connected" && this.#raw && this.#sessionOf === this.#raw
        ? this.#raw
        : undefined;
    const now = ready();
    if (now) return Promise.resolve(now);
    if (signal?.aborted) {
      return Promise.reject(
        signal.reason ?? new AbortError("the wait was aborted"),
      );
    }
    return new Promise<RawClient>((resolve, reject) => {
      const done = (e?: unknown) => {
        off();
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (e !== undefined) reject(e);
        else resolve(ready()!);
      };
      const off = this.onStateChange(() => {
        if (this.#closed) {
          done(new KafkaError(`ZookeeperClient ${this.#hosts} is closed`));
        } else if (ready()) done();
      });
      const onAbort = () =>
        done(signal!.reason ?? new AbortError("the wait was aborted"));
      const timer = setTimeout(
        () =>
          done(
            new ZookeeperError(ZookeeperError.CONNECTION_LOSS, undefined, {
              message:
                `ZooKeeper ${this.#hosts}: not connected (state ${this.#state})`,
            }),
          ),
        Math.max(0, deadline - Date.now()),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #waitFor<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) {
      // Whoever else waits for `p` still sees how it ends; this caller
      // gave up on it, so its failure is no unhandled rejection.
      p.catch(() => {});
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      p.then(resolve, reject).finally(() =>
        signal.removeEventListener("abort", onAbort)
      );
    });
  }

  /**
   * Runs one request on a connected client; sends it again on the next
   * connection after CONNECTION_LOSS or SESSION_EXPIRED, within
   * `requestTimeoutMs`.
   */
  async #call<T>(
    path: string,
    signal: AbortSignal | undefined,
    send: (raw: RawClient, cb: (error: unknown, value?: T) => void) => void,
  ): Promise<T> {
    if (this.#closed) {
      throw new KafkaError(`ZookeeperClient ${this.#hosts} is closed`);
    }
    if (!this.#started) {
      throw new KafkaError(
        `ZookeeperClient ${this.#hosts}: call start() first`,
      );
    }
    await this.#started;
    const deadline = Date.now() + this.#requestTimeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      const raw = await this.#connected(deadline, signal);
      try {
        return await this.#once(raw, path, deadline, signal, send);
      } catch (e) {
        const err = zkErrorOf(e, path);
        if (
          err instanceof ZookeeperError &&
          (err.zkCode === ZookeeperError.CONNECTION_LOSS ||
            err.zkCode === ZookeeperError.SESSION_EXPIRED) &&
          !this.#closed && Date.now() < deadline && !signal?.aborted
        ) {
          // Wait for the next connection, then send it again.
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        throw err;
      }
    }
  }

  #once<T>(
    raw: RawClient,
    path: string,
    deadline: number,
    signal: AbortSignal | undefined,
    send: (raw: RawClient, cb: (error: unknown, value?: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const entry: Pending = { raw, fail: (e) => finish(e) };
      const timer = setTimeout(
        () =>
          finish(
            new ZookeeperError(ZookeeperError.OPERATION_TIMEOUT, path, {
              message:
                `ZooKeeper ${this.#hosts}: no answer for ${path} within ${this.#requestTimeoutMs} ms`,
            }),
          ),
        Math.max(0, deadline - Date.now()),
      );
      const onAbort = () => finish(signal!.reason);
      const finish = (e: unknown, v?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(entry);
        if (e !== undefined && e !== null) reject(e);
        else resolve(v as T);
      };
      this.#pending.add(entry);
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        send(raw, (e, v) => finish(e, v));
      } catch (e) {
        finish(e);
      }
    });
  }

  /**
   * Creates a node (kazoo's `create`), with `data` (bytes or UTF-8 text);
   * resolves with its path. `ZookeeperError` NODE_EXISTS when it exists,
   * NO_NODE when its parent does not (unless `makepath`).
   *
   * @example
   * ```ts
   * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181/kafka"; // with the cluster's chroot
   * await using zk = await ZookeeperClient.connect(zookeeper);
   * const path = `/example-${crypto.randomUUID()}/members/m1`;
   * await zk.create(path, "hello", { ephemeral: true, makepath: true });
   * console.log(await zk.exists(path) !== null); // true, until the session ends
   * await zk.delete(path);
   * await zk.delete(path.slice(0, path.lastIndexOf("/"))); // the parents makepath made
   * await zk.delete(path.slice(0, path.indexOf("/", 1)));
   * ```
   */
  async create(
    path: string,
    data?: Uint8Array | string,
    options: ZookeeperCreateOptions = {},
  ): Promise<string> {
    const bytes = typeof data === "string"
      ? new TextEncoder().encode(data)
      : data;
    if (options.makepath) {
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (parent.length > 0) await this.ensurePath(parent, options.signal);
    }
    return await this.#call<string>(
      path,
      options.signal,
      (raw, cb) =>
        raw.create(
          path,
          bytes === undefined ? undefined : this.#buffer!.from(bytes),
          options.ephemeral ? EPHEMERAL : PERSISTENT,
          cb,
        ),
    );
  }

  /** Creates `path` and its missing parents, persistent and empty (kazoo's `ensure_path`). */
  async ensurePath(path: string, signal?: AbortSignal): Promise<void> {
    await this.#call<string>(path, signal, (raw, cb) => raw.mkdirp(path, cb));
  }

  /**
   * Deletes a node (kazoo's `delete`); with `version`, only that version.
   * `ZookeeperError` NO_NODE when it does not exist, NOT_EMPTY when it has
   * children, BAD_VERSION when the version differs.
   */
  async delete(
    path: string,
    options: { version?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    await this.#call<void>(
      path,
      options.signal,
      (raw, cb) => raw.remove(path, options.version ?? -1, (e) => cb(e)),
    );
  }

  /** The node's metadata, or `null` when it does not exist (kazoo's `exists`). */
  async exists(
    path: string,
    options: ZookeeperReadOptions = {},
  ): Promise<ZookeeperStat | null> {
    const s = await this.#call<RawStat | null>(
      path,
      options.signal,
      (raw, cb) => raw.exists(path, options.watch, (e, st) => cb(e, st)),
    );
    return s ? statOf(s) : null;
  }

  /** The node's data and metadata (kazoo's `get`); `ZookeeperError` NO_NODE when missing. */
  async get(
    path: string,
    options: ZookeeperReadOptions = {},
  ): Promise<ZookeeperNode> {
    const [data, stat] = await this.#call<[Uint8Array | null, RawStat]>(
      path,
      options.signal,
      (raw, cb) =>
        raw.getData(path, options.watch, (e, d, st) => cb(e, [d, st])),
    );
    return { data: data ? new Uint8Array(data) : null, stat: statOf(stat) };
  }

  /** The names of the node's children (kazoo's `get_children`); `ZookeeperError` NO_NODE when missing. */
  getChildren(
    path: string,
    options: ZookeeperReadOptions = {},
  ): Promise<string[]> {
    return this.#call<string[]>(
      path,
      options.signal,
      (raw, cb) => raw.getChildren(path, options.watch, (e, c) => cb(e, c)),
    );
  }

  /**
   * Watches a node's children (kazoo's `ChildrenWatch`): resolves with a
   * handle holding the children now (a `ZookeeperError` NO_NODE when the
   * node does not exist), then calls `onChange(children)` after each
   * change until `cancel()`. The watch is set again after each change,
   * after a dropped connection and on every new session (a change missed
   * while no session existed is reported then). If the node is deleted,
   * `onChange([])` is called and the watch waits for it to come back.
   *
   * @example
   * ```ts
   * const zookeeper = Deno.env.get("KAFKA_ZOOKEEPER") ?? "127.0.0.1:2181/kafka"; // with the cluster's chroot
   * await using zk = await ZookeeperClient.connect(zookeeper);
   * const w = await zk.watchChildren("/brokers/ids", (ids) => console.log(ids));
   * console.log(w.children);
   * w.cancel();
   * ```
   */
  watchChildren(
    path: string,
    onChange: (children: string[]) => void,
  ): Promise<ChildrenWatch> {
    return watchChildren(this, path, onChange, this.#cancels);
  }

  /**
   * Ends the session (its ephemeral nodes are deleted at once) and closes
   * the connection; pending requests fail. Calling it again does nothing.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const raw = this.#raw;
    this.#raw = undefined;
    for (const cancel of [...this.#cancels]) cancel();
    for (const p of [...this.#pending]) {
      p.fail(new KafkaError(`ZookeeperClient ${this.#hosts} is closed`));
    }
    this.#setState("closed");
    this.#listeners.clear();
    if (raw) await closeClient(raw as unknown as ZkClient);
  }

  /** Same as {@linkcode ZookeeperClient.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `ZookeeperClient(127.0.0.1:2181/kafka, connected)`. */
  toString(): string {
    return `ZookeeperClient(${this.#hosts}, ${this.#state})`;
  }
}
