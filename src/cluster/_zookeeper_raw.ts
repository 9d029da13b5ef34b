// What ZookeeperClient uses of node-zookeeper-client (its Client, Stat),
// and the conversions between its values and ours (hex ids, stats,
// errors).

import { ZookeeperError } from "../errors/mod.ts";
import type { ZookeeperStat } from "./zookeeper_types.ts";

/** What ZookeeperClient uses of node-zookeeper-client's `Client`. */
export interface RawClient {
  connect(): void;
  close(): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  getSessionId(): Uint8Array;
  getSessionPassword(): Uint8Array;
  getSessionTimeout(): number;
  create(
    path: string,
    data: Uint8Array | undefined,
    mode: number,
    cb: (error: unknown, path: string) => void,
  ): void;
  mkdirp(path: string, cb: (error: unknown, path: string) => void): void;
  remove(path: string, version: number, cb: (error: unknown) => void): void;
  exists(
    path: string,
    watch: (() => void) | undefined,
    cb: (error: unknown, stat: RawStat | null) => void,
  ): void;
  getData(
    path: string,
    watch: (() => void) | undefined,
    cb: (error: unknown, data: Uint8Array | null, stat: RawStat) => void,
  ): void;
  getChildren(
    path: string,
    watch: (() => void) | undefined,
    cb: (error: unknown, children: string[]) => void,
  ): void;
}

export interface RawStat {
  czxid: Uint8Array;
  version: number;
  cversion: number;
  ephemeralOwner: Uint8Array;
  dataLength: number;
  numChildren: number;
}

export type BufferCtor = { from(bytes: Uint8Array): Uint8Array };

export const EPHEMERAL = 1;
export const PERSISTENT = 0;
/** node:buffer; the computed specifier keeps Deno from loading it at start (see zookeeper.ts). */
export const NODE_BUFFER = "node:buffer";

export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function unhex(text: string, bytes: number, what: string): Uint8Array {
  if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(text)) {
    throw new RangeError(
      `ZookeeperClient option ${what} must be ${bytes * 2} hex digits, got ${
        JSON.stringify(text)
      }`,
    );
  }
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) {
    out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

export function statOf(s: RawStat): ZookeeperStat {
  const owner = s.ephemeralOwner;
  return {
    czxid: hex(s.czxid),
    version: s.version,
    cversion: s.cversion,
    ephemeralOwner: owner && owner.some((b) => b !== 0) ? hex(owner) : null,
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

/** A node-zookeeper-client error (or anything thrown) as a ZookeeperError. */
export function zkErrorOf(e: unknown, path: string): ZookeeperError | Error {
  if (e instanceof ZookeeperError) return e;
  const code = (e as { code?: unknown; getCode?: () => number })?.getCode?.() ??
    (e as { code?: unknown })?.code;
  if (typeof code === "number") return new ZookeeperError(code, path);
  // node-zookeeper-client checks arguments with assert (a bad path).
  const text = e instanceof Error ? e.message : String(e);
  return new TypeError(`ZooKeeper path ${JSON.stringify(path)}: ${text}`, {
    cause: e,
  });
}
