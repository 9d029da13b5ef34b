/**
 * Which version of each Kafka API to speak to a broker: the ranges the broker
 * serves (from its ApiVersions response, or from a fixed per-release table for
 * brokers older than 0.10.0, which have no ApiVersions request), intersected
 * with what the client's codecs support.
 *
 * @module
 */

import { KafkaError, UnsupportedVersionError } from "../errors/mod.ts";
import {
  CLIENT_MAX_VERSIONS,
  RELEASE_EXTRA_MAX_VERSIONS,
  RELEASE_MAX_VERSIONS,
  RELEASE_MIN_VERSIONS,
  TABLE_KEYS,
} from "./_version_tables.ts";

/** An inclusive range of API versions. */
export interface VersionRange {
  /** Lowest version. */
  readonly min: number;
  /** Highest version. */
  readonly max: number;
}

/** The part of a generated API object that version selection needs. */
export interface VersionedApi {
  /** Kafka API key. */
  readonly apiKey: number;
  /** API name, for error messages. */
  readonly name: string;
  /** Lowest version the client's codec supports. */
  readonly minVersion: number;
  /** Highest version the client's codec supports. */
  readonly maxVersion: number;
}

/**
 * The `brokerVersion` option: `"auto"` asks the broker (ApiVersions), a
 * release such as `"0.9.0"` or `"2.8.0"` selects that release's fixed table.
 */
export type BrokerVersion = string;

/** Where an {@linkcode ApiVersionTable} came from. */
export type ApiVersionSource = "broker" | "release-table";

/**
 * Parses a Kafka release string ("0.8.2", "0.9.0.1", "2.8", "4.1.0") into
 * numbers, or throws a `KafkaError`.
 *
 * @example
 * ```ts
 * import { parseKafkaVersion } from "./api_versions.ts";
 * parseKafkaVersion("0.10.1.1"); // [0, 10, 1, 1]
 * ```
 */
export function parseKafkaVersion(version: string): number[] {
  if (!/^\d+(\.\d+){1,3}$/.test(version)) {
    throw new KafkaError(
      `brokerVersion must be "auto" or a Kafka release such as "0.9.0" or "3.9.0", got ${
        JSON.stringify(version)
      }`,
    );
  }
  return version.split(".").map(Number);
}

/** Compares two parsed versions (missing trailing parts count as 0). */
export function compareKafkaVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the release predates ApiVersions (0.10.0), so only tables apply. */
export function isLegacyRelease(version: string): boolean {
  return compareKafkaVersions(parseKafkaVersion(version), [0, 10, 0]) < 0;
}

function rowFor<T>(
  entries: ReadonlyArray<readonly [string, T]>,
  version: number[],
): readonly [string, T] | undefined {
  let best: readonly [string, T] | undefined;
  for (const e of entries) {
    if (compareKafkaVersions(parseKafkaVersion(e[0]), version) <= 0) {
      if (
        !best ||
        compareKafkaVersions(
            parseKafkaVersion(e[0]),
            parseKafkaVersion(best[0]),
          ) > 0
      ) {
        best = e;
      }
    }
  }
  return best;
}

const API_VERSIONS_KEY = 18;
const PRODUCE_KEY = 0;
const FETCH_KEY = 1;
const LIST_OFFSETS_KEY = 2;
const OFFSET_COMMIT_KEY = 8;

/**
 * The API version ranges one broker serves, and the choice of version per
 * API: the highest version both the broker and the client's codec support.
 *
 * Built from the broker's ApiVersions response
 * ({@linkcode ApiVersionTable.fromBroker}) or, for a configured
 * `brokerVersion`, from the fixed table of that release
 * ({@linkcode ApiVersionTable.forRelease}). A configured release at or after
 * 0.10.0 combined with an ApiVersions answer caps the broker's ranges at the
 * release's (`fromBroker(ranges, { release })`).
 *
 * Quirk handled: Kafka 4.x advertises Produce min 0 but rejects v0-2
 * (KAFKA-18659); when the broker shows the KIP-896 removals (Fetch min >= 4,
 * ListOffsets min >= 1 or OffsetCommit min >= 2), Produce's minimum becomes 3.
 *
 * @example
 * ```ts
 * import { ApiVersionTable } from "./api_versions.ts";
 * const table = ApiVersionTable.forRelease("0.9.0");
 * const fetchApi = { apiKey: 1, name: "Fetch", minVersion: 0, maxVersion: 17 };
 * table.pick(fetchApi); // 1
 * ```
 */
export class ApiVersionTable {
  readonly #ranges: ReadonlyMap<number, VersionRange>;
  /** Where the ranges came from. */
  readonly source: ApiVersionSource;
  /** The release the table stands for, when one was configured or detected. */
  readonly release: string | undefined;

  /**
   * Wraps a map of ranges (prefer the static constructors).
   *
   * @param ranges API key to the versions the broker serves
   * @param source where they came from
   * @param release the Kafka release they stand for, if known
   */
  constructor(
    ranges: ReadonlyMap<number, VersionRange>,
    source: ApiVersionSource,
    release?: string,
  ) {
    this.#ranges = ranges;
    this.source = source;
    this.release = release;
  }

  /**
   * From the `apiKeys` of an ApiVersions response, optionally capped by a
   * configured release's table.
   *
   * @example
   * ```ts
   * import { ApiVersionTable } from "./api_versions.ts";
   * const t = ApiVersionTable.fromBroker([
   *   { apiKey: 0, minVersion: 0, maxVersion: 12 },
   *   { apiKey: 1, minVersion: 4, maxVersion: 17 },
   * ]);
   * t.range(0); // { min: 3, max: 12 }: a 4.x broker, Produce v0-2 are refused
   * ```
   */
  static fromBroker(
    apiKeys: Iterable<
      { apiKey: number; minVersion: number; maxVersion: number }
    >,
    options?: { release?: string },
  ): ApiVersionTable {
    const ranges = new Map<number, VersionRange>();
    for (const k of apiKeys) {
      if (k.maxVersion < k.minVersion) continue;
      ranges.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
    }
    const kip896 = (ranges.get(FETCH_KEY)?.min ?? 0) >= 4 ||
      (ranges.get(LIST_OFFSETS_KEY)?.min ?? 0) >= 1 ||
      (ranges.get(OFFSET_COMMIT_KEY)?.min ?? 0) >= 2;
    const produce = ranges.get(PRODUCE_KEY);
    if (kip896 && produce && produce.min < 3) {
      ranges.set(PRODUCE_KEY, { min: 3, max: produce.max });
    }
    const release = options?.release;
    if (release !== undefined) {
      const cap = ApiVersionTable.forRelease(release);
      for (const key of TABLE_KEYS) {
        const have = ranges.get(key);
        if (!have) continue;
        const c = cap.range(key);
        const min = Math.max(have.min, c?.min ?? 0);
        const max = Math.min(have.max, c?.max ?? -1);
        if (max < min) ranges.delete(key);
        else ranges.set(key, { min, max });
      }
    }
    return new ApiVersionTable(ranges, "broker", release);
  }

  /**
   * The fixed table of a Kafka release: what that release serves (for
   * releases before 0.10.0 the complete truth; afterwards the APIs of
   * kafka-protocol-notes §1.3). A release newer than the newest row uses
   * the newest row.
   *
   * @example
   * ```ts
   * import { ApiVersionTable } from "./api_versions.ts";
   * ApiVersionTable.forRelease("0.8.2").range(8); // OffsetCommit { min: 0, max: 1 }
   * ```
   */
  static forRelease(release: string): ApiVersionTable {
    const v = parseKafkaVersion(release);
    const row = rowFor(RELEASE_MAX_VERSIONS, v);
    if (!row) {
      throw new KafkaError(
        `brokerVersion ${release} is older than the oldest supported release 0.8.2`,
      );
    }
    const mins = rowFor(Object.entries(RELEASE_MIN_VERSIONS), v)?.[1] ?? {};
    const extra = rowFor(Object.entries(RELEASE_EXTRA_MAX_VERSIONS), v)?.[1] ??
      {};
    const ranges = new Map<number, VersionRange>();
    TABLE_KEYS.forEach((key, i) => {
      const max = row[1][i];
      if (max >= 0) ranges.set(key, { min: mins[key] ?? 0, max });
    });
    for (const [key, max] of Object.entries(extra)) {
      if (!ranges.has(Number(key))) ranges.set(Number(key), { min: 0, max });
    }
    return new ApiVersionTable(ranges, "release-table", release);
  }

  /** The versions the broker serves for an API key, if it serves it at all. */
  range(apiKey: number): VersionRange | undefined {
    return this.#ranges.get(apiKey);
  }

  /** Every API key with its range. */
  entries(): IterableIterator<[number, VersionRange]> {
    return this.#ranges.entries();
  }

  /** True when the broker serves the API key at all. */
  has(apiKey: number): boolean {
    return this.#ranges.has(apiKey);
  }

  /**
   * The version range both sides support for an API, or `undefined` when
   * the ranges do not overlap or the broker lacks the API.
   */
  common(api: VersionedApi): VersionRange | undefined {
    const b = this.#ranges.get(api.apiKey);
    if (!b) return undefined;
    const min = Math.max(b.min, api.minVersion);
    const max = Math.min(
      b.max,
      api.maxVersion,
      CLIENT_MAX_VERSIONS[api.apiKey] ?? Infinity,
    );
    return max < min ? undefined : { min, max };
  }

  /**
   * The version to send: the highest both sides support. Throws
   * `UnsupportedVersionError` when there is none.
   */
  pick(api: VersionedApi): number {
    const c = this.common(api);
    if (c === undefined) {
      const b = this.#ranges.get(api.apiKey);
      throw new UnsupportedVersionError(
        b
          ? `${api.name}: the broker serves v${b.min}-${b.max}, this client v${api.minVersion}-${api.maxVersion}`
          : `${api.name} (key ${api.apiKey}) is not served by this broker${
            this.release ? ` (Kafka ${this.release})` : ""
          }`,
      );
    }
    return c.max;
  }

  /** True when the broker is known to serve ApiVersions (0.10.0+). */
  get hasApiVersions(): boolean {
    return this.#ranges.has(API_VERSIONS_KEY);
  }
}
