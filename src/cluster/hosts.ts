/**
 * Parsing of bootstrap host lists (`"h1:9092,h2:9092"`, IPv6 literals in
 * brackets) and formatting of addresses for messages.
 *
 * @module
 */

import { KafkaError } from "../errors/mod.ts";

/** One `host:port` address. */
export interface HostPort {
  /** Host name or IP address (an IPv6 literal without brackets). */
  host: string;
  /** TCP port. */
  port: number;
}

/** The port used when a host has none: Kafka's default, 9092. */
export const DEFAULT_KAFKA_PORT = 9092;

/**
 * Parses a comma-separated list of `host:port` addresses. IPv6 literals go
 * in brackets (`[::1]:9092`); a bare IPv6 literal without port (`::1`) is
 * accepted too. A missing port means 9092. As in pykafka, anything after a
 * `/` following the port is dropped (`host:9092/chroot`). Whitespace around
 * entries and empty entries are ignored.
 *
 * @param hosts `"h1:9092,h2:9092"` or an array of `"host:port"` strings
 * @returns the addresses, in the given order, duplicates removed
 * @throws {KafkaError} on an empty list, a bad port or an unclosed bracket
 *
 * @example
 * ```ts
 * import { parseHosts } from "./hosts.ts";
 * const hosts = parseHosts("127.0.0.1:9092, [::1]:9093,kafka");
 * console.assert(hosts[1].host === "::1" && hosts[1].port === 9093);
 * console.assert(hosts[2].port === 9092);
 * ```
 */
export function parseHosts(hosts: string | readonly string[]): HostPort[] {
  const parts = typeof hosts === "string"
    ? hosts.split(",")
    : hosts.flatMap((h) => h.split(","));
  const out: HostPort[] = [];
  const seen = new Set<string>();
  for (const raw of parts) {
    const text = raw.trim();
    if (text === "") continue;
    const hp = parseHostPort(text);
    const key = formatHostPort(hp);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(hp);
  }
  if (out.length === 0) {
    throw new KafkaError(
      `hosts must name at least one "host:port", got ${JSON.stringify(hosts)}`,
    );
  }
  return out;
}

/**
 * Parses one `host:port` (IPv6 in brackets; port optional, default 9092).
 *
 * @example
 * ```ts
 * import { parseHostPort } from "./hosts.ts";
 * console.assert(parseHostPort("[fd00::2]:19092").host === "fd00::2");
 * ```
 */
export function parseHostPort(text: string): HostPort {
  let host: string;
  let rest: string;
  const t = text.trim();
  if (t.startsWith("[")) {
    const end = t.indexOf("]");
    if (end < 0) {
      throw new KafkaError(
        `bad host ${JSON.stringify(text)}: "[" without "]"`,
      );
    }
    host = t.slice(1, end);
    rest = t.slice(end + 1);
    if (rest !== "" && !rest.startsWith(":")) {
      throw new KafkaError(
        `bad host ${JSON.stringify(text)}: expected ":port" after "]"`,
      );
    }
    rest = rest.slice(1);
  } else {
    const colons = t.split(":").length - 1;
    if (colons > 1) {
      // A bare IPv6 literal (no port can be told apart without brackets).
      host = t;
      rest = "";
    } else {
      const i = t.indexOf(":");
      host = i < 0 ? t : t.slice(0, i);
      rest = i < 0 ? "" : t.slice(i + 1);
    }
  }
  const slash = rest.indexOf("/");
  if (slash >= 0) rest = rest.slice(0, slash);
  if (host === "") {
    throw new KafkaError(`bad host ${JSON.stringify(text)}: empty host name`);
  }
  let port = DEFAULT_KAFKA_PORT;
  if (rest !== "") {
    if (!/^\d+$/.test(rest) || Number(rest) < 1 || Number(rest) > 65535) {
      throw new KafkaError(
        `bad host ${JSON.stringify(text)}: port must be 1-65535`,
      );
    }
    port = Number(rest);
  }
  return { host, port };
}

/**
 * Formats an address as `host:port`, with IPv6 literals in brackets.
 *
 * @example
 * ```ts
 * import { formatHostPort } from "./hosts.ts";
 * console.assert(formatHostPort({ host: "::1", port: 9092 }) === "[::1]:9092");
 * ```
 */
export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(":")
    ? `[${hp.host}]:${hp.port}`
    : `${hp.host}:${hp.port}`;
}
