// Config administration: DescribeConfigs and AlterConfigs, each resource
// asked at the broker that owns it (a broker's own configs at that broker,
// the others at the controller), one request per broker. DescribeConfigs'
// version differences are here (`DESCRIBE_CONFIGS`).

import { KafkaError } from "../errors/mod.ts";
import {
  AlterConfigs,
  DescribeConfigs,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
} from "../protocol/mod.ts";
import type { Broker } from "../cluster/mod.ts";
import { type ApiCall, callApi } from "../cluster/_api_requests.ts";
import { validateOptions } from "../util/options.ts";
import { ALTER_CONFIGS_RULES, DESCRIBE_CONFIGS_RULES } from "./_options.ts";
import { type AdminRouter, byBroker, throwItemErrors } from "./_routing.ts";

/**
 * Config resource types of DescribeConfigs / AlterConfigs (Kafka's
 * `ConfigResource.Type`).
 *
 * @example
 * ```ts
 * import { ConfigResourceType } from "./admin.ts";
 * const r = { type: ConfigResourceType.TOPIC, name: "orders" };
 * ```
 */
export const ConfigResourceType: {
  /** Unknown. */
  readonly UNKNOWN: 0;
  /** A topic (name = topic name). */
  readonly TOPIC: 2;
  /** A broker (name = broker id, `""` for the cluster-wide default). */
  readonly BROKER: 4;
  /** A broker's loggers (name = broker id). */
  readonly BROKER_LOGGER: 8;
  /** Client metrics subscriptions (Kafka 3.7+). */
  readonly CLIENT_METRICS: 16;
  /** A consumer group (Kafka 4.0+). */
  readonly GROUP: 32;
} = Object.freeze(
  {
    UNKNOWN: 0,
    TOPIC: 2,
    BROKER: 4,
    BROKER_LOGGER: 8,
    CLIENT_METRICS: 16,
    GROUP: 32,
  } as const,
);

/** A value of {@linkcode ConfigResourceType}. */
export type ConfigResourceType =
  typeof ConfigResourceType[keyof typeof ConfigResourceType];

/** A resource whose configs to describe (see {@linkcode Admin.describeConfigs}). */
export interface ConfigResource {
  /** Resource type. */
  type: ConfigResourceType;
  /** Resource name: topic name, broker id as a string, ... */
  name: string;
  /** Only these config keys (default: all). */
  keys?: readonly string[];
}

/** One config of a resource. */
export interface ConfigEntry {
  /** Config name. */
  name: string;
  /** Value (`null` for sensitive configs and unset ones). */
  value: string | null;
  /** True when the config cannot be changed. */
  readOnly: boolean;
  /** True when the value is Kafka's default. */
  isDefault: boolean;
  /** True for passwords and other secrets. */
  isSensitive: boolean;
  /**
   * Where the value comes from (DescribeConfigs v1+): 1 dynamic topic
   * config, 2 dynamic broker config, 3 dynamic default broker config, 4
   * static broker config, 5 default, 6 dynamic broker logger config; -1
   * unknown (v0).
   */
  source: number;
  /** Other values of the config by precedence (with `includeSynonyms`). */
  synonyms: { name: string; value: string | null; source: number }[];
  /** Documentation (with `includeDocumentation`, v3+), else `null`. */
  documentation: string | null;
}

/** The configs of one resource (see {@linkcode Admin.describeConfigs}). */
export interface ConfigDescription {
  /** Resource type. */
  type: ConfigResourceType;
  /** Resource name. */
  name: string;
  /** Configs by name. */
  entries: Map<string, ConfigEntry>;
}

/** Configs to set on a resource (see {@linkcode Admin.alterConfigs}). */
export interface ConfigChange {
  /** Resource type. */
  type: ConfigResourceType;
  /** Resource name. */
  name: string;
  /** The configs to set (`null`: back to the default). */
  configs: Readonly<Record<string, string | null>>;
}

/** Config overrides as the config entries of a request. */
export function configsOf(
  c: Readonly<Record<string, string | null>> | undefined,
): { name: string; value: string | null }[] {
  return Object.entries(c ?? {}).map(([name, value]) => ({ name, value }));
}

/** Options of {@linkcode describeConfigs}. */
export interface DescribeConfigsOptions {
  /** Include each config's synonyms (v1+). */
  includeSynonyms?: boolean;
  /** Include each config's documentation (v3+). */
  includeDocumentation?: boolean;
  /** Cancels the requests. */
  signal?: AbortSignal;
}

/** One resource of a DescribeConfigs answer. */
interface DescribedResource {
  key: string;
  errorCode: number;
  errorMessage: string | null;
  description: ConfigDescription;
}

/**
 * DescribeConfigs: synonyms need v1, documentation v3; v0 answers
 * `isDefault`, later versions the source (5 = default).
 */
const DESCRIBE_CONFIGS: ApiCall<
  { resources: readonly ConfigResource[]; options: DescribeConfigsOptions },
  DescribeConfigsRequest,
  DescribeConfigsResponse,
  DescribedResource[]
> = {
  api: DescribeConfigs,
  request(version, { resources, options }) {
    const request: DescribeConfigsRequest = {
      resources: resources.map((r) => ({
        resourceType: r.type,
        resourceName: r.name,
        configurationKeys: r.keys ? [...r.keys] : null,
      })),
    };
    if (version >= 1) {
      request.includeSynonyms = options.includeSynonyms ?? false;
    }
    if (version >= 3) {
      request.includeDocumentation = options.includeDocumentation ?? false;
    }
    return request;
  },
  result(version, res) {
    return res.results.map((r) => {
      const entries = new Map<string, ConfigEntry>();
      for (const c of r.errorCode === 0 ? r.configs : []) {
        const source = c.configSource ?? -1;
        entries.set(c.name, {
          name: c.name,
          value: c.value,
          readOnly: c.readOnly,
          isDefault: version === 0 ? (c.isDefault ?? false) : source === 5,
          isSensitive: c.isSensitive,
          source,
          synonyms: (c.synonyms ?? []).map((s) => ({
            name: s.name,
            value: s.value,
            source: s.source,
          })),
          documentation: c.documentation ?? null,
        });
      }
      return {
        key: `${r.resourceType}:${r.resourceName}`,
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        description: {
          type: r.resourceType as ConfigResourceType,
          name: r.resourceName,
          entries,
        },
      };
    });
  },
};

/** The broker a config resource must be asked at. */
async function configBroker(
  router: AdminRouter,
  r: { type: number; name: string },
): Promise<Broker> {
  await router.cluster.ready();
  if (
    (r.type === ConfigResourceType.BROKER ||
      r.type === ConfigResourceType.BROKER_LOGGER) && r.name !== ""
  ) {
    const id = Number(r.name);
    const b = router.cluster.brokers.get(id);
    if (!b) {
      throw new KafkaError(
        `config resource broker ${r.name}: no such broker`,
      );
    }
    return b;
  }
  return await router.controller();
}

/** `Admin.describeConfigs`. */
export async function describeConfigs(
  router: AdminRouter,
  resources: readonly ConfigResource[],
  options: DescribeConfigsOptions,
): Promise<ConfigDescription[]> {
  validateOptions("Admin.describeConfigs", options, DESCRIBE_CONFIGS_RULES);
  const groups = await byBroker(resources, (r) => configBroker(router, r));
  const answers = await Promise.all(
    [...groups].map(([broker, rs]) =>
      callApi(broker, DESCRIBE_CONFIGS, { resources: rs, options }, {
        signal: options.signal,
      })
    ),
  );
  const described = answers.flat();
  throwItemErrors(
    "describeConfigs",
    described,
    (r) => r.key,
    (r) => r.errorMessage,
  );
  const found = new Map(described.map((r) => [r.key, r.description]));
  return resources.map((r) => {
    const d = found.get(`${r.type}:${r.name}`);
    if (!d) {
      throw new KafkaError(
        `describeConfigs: the broker left ${r.type}:${r.name} out of its answer`,
      );
    }
    return d;
  });
}

/** `Admin.alterConfigs`. */
export async function alterConfigs(
  router: AdminRouter,
  changes: readonly ConfigChange[],
  options: { validateOnly?: boolean; signal?: AbortSignal },
): Promise<void> {
  validateOptions("Admin.alterConfigs", options, ALTER_CONFIGS_RULES);
  const groups = await byBroker(changes, (c) => configBroker(router, c));
  const answers = await Promise.all(
    [...groups].map(async ([broker, cs]) =>
      (await broker.send(AlterConfigs, {
        resources: cs.map((c) => ({
          resourceType: c.type,
          resourceName: c.name,
          configs: configsOf(c.configs),
        })),
        validateOnly: options.validateOnly ?? false,
      }, { signal: options.signal })).responses
    ),
  );
  throwItemErrors(
    "alterConfigs",
    answers.flat(),
    (r) => `${r.resourceType}:${r.resourceName}`,
    (r) => r.errorMessage,
  );
}
