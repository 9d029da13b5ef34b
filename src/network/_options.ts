/**
 * The option rules of the network layer (internal): what
 * {@linkcode BrokerConnection.connect}, `ManagedConnection`, `openTransport`,
 * `ScramClient`, {@linkcode SslConfig} and {@linkcode SaslConfig} accept,
 * for the one validator of `src/util/options.ts`. The cluster and client
 * layers build their tables from these.
 *
 * @module
 */

import {
  INT32_MAX,
  omitRules,
  optionRangeError,
  type OptionRule,
  optionTypeError,
  rules,
} from "../util/options.ts";
import { BACKOFF_OPTION_RULES } from "../util/retry.ts";
import { parseKafkaVersion } from "./api_versions.ts";
import type { TransportFactory } from "./transport.ts";
import { isEncryptedKey } from "./_pkcs8.ts";
import type { SslConfig } from "./ssl_config.ts";
import type { SaslConfig } from "./sasl.ts";
import type { BackoffOptions } from "./backoff.ts";

/** A PEM certificate block. */
export const CERT_RE: RegExp = /-----BEGIN CERTIFICATE-----/;
/** An unencrypted PEM private key block (PKCS#8, PKCS#1 or SEC1). */
export const KEY_RE: RegExp = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Parses a local bind address: `"host"`, `"host:port"`, `"[v6]"`,
 * `"[v6]:port"` or a bare IPv6 literal; a missing port is 0 (any). Throws
 * an `Error` saying what is wrong.
 *
 * @example
 * ```ts
 * import { parseSourceAddress } from "./_options.ts";
 * console.assert(parseSourceAddress("::1").port === 0);
 * ```
 */
export function parseSourceAddress(text: string): {
  host: string;
  port: number;
} {
  const t = text.trim();
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t) ??
    /^([^:\[\]]+)(?::(\d+))?$/.exec(t) ??
    (/^[0-9a-fA-F:.]+$/.test(t) && t.includes(":") ? [t, t] : null);
  if (!m) {
    const port = /^[^:\[\]]*:(.*)$/.exec(t)?.[1];
    throw new Error(
      port !== undefined
        ? `the port ${JSON.stringify(port)} is not a number`
        : "not a host name or IP address",
    );
  }
  const port = m[2] === undefined ? 0 : Number(m[2]);
  if (port > 65535) throw new Error(`port ${port} is above 65535`);
  return { host: m[1], port };
}

const BROKER_VERSION_TEXT =
  `"auto" or a Kafka release such as "0.9.0" or "3.9.0"`;

/** `brokerVersion`: `"auto"` or a release `"x.y[.z[.w]]"`. */
export const brokerVersionRule: OptionRule<string> = (v, owner, name) => {
  if (typeof v !== "string") {
    throw optionTypeError(owner, name, BROKER_VERSION_TEXT, v);
  }
  if (v === "auto") return v;
  try {
    parseKafkaVersion(v);
  } catch {
    throw optionRangeError(owner, name, BROKER_VERSION_TEXT, v);
  }
  return v;
};

/** `sourceAddress`: a local bind address, returned parsed. */
export const sourceAddressRule: OptionRule<{ host: string; port: number }> =
  rules.parse(
    rules.string(true),
    `"host" or "host:port" (IPv6 in brackets; port 0 or none: any)`,
    parseSourceAddress,
  );

function pemRule(what: string): OptionRule<string> {
  return rules.parse(rules.string(true), `PEM text of ${what}`, (v) => {
    if (!CERT_RE.test(v)) {
      throw new Error('no "-----BEGIN CERTIFICATE-----" line');
    }
    return v;
  });
}

/** The key as PEM text; never shown in messages. */
const pemKeyRule: OptionRule<string> = (v, owner, name) => {
  const key = rules.secret()(v, owner, name);
  if (!KEY_RE.test(key) && !isEncryptedKey(key)) {
    throw new RangeError(
      `${owner} option ${name} must be PEM text of a private key, got a string of ${key.length} characters without a "-----BEGIN ... PRIVATE KEY-----" line`,
    );
  }
  return key;
};

/** The rules of {@linkcode SslConfig}. */
export const SSL_CONFIG_RULES = {
  cafile: rules.string(true),
  certfile: rules.string(true),
  keyfile: rules.string(true),
  password: rules.secret(),
  ca: pemRule("CA certificate(s)"),
  cert: pemRule("a certificate (chain)"),
  key: pemKeyRule,
  checkHostname: rules.bool(),
};

/**
 * `sslConfig`: an {@linkcode SslConfig} (the object itself is returned:
 * its resolution is cached per object). Giving both the text and the file
 * of one item, half a client certificate, or an encrypted key text without
 * `password` contradict each other (`RangeError`).
 */
export const sslConfigRule: OptionRule<SslConfig> = rules.object<SslConfig>(
  SSL_CONFIG_RULES,
  "an SslConfig object",
  (c, owner, name) => {
    for (const item of ["ca", "cert", "key"]) {
      if (c[item] !== undefined && c[`${item}file`] !== undefined) {
        throw new RangeError(
          `${owner} option ${name}: give either ${item} (PEM text) or ${item}file (a path), not both`,
        );
      }
    }
    const cert = c.cert !== undefined || c.certfile !== undefined;
    const key = c.key !== undefined || c.keyfile !== undefined;
    if (cert !== key) {
      throw new RangeError(
        `${owner} option ${name}: a client certificate needs both cert/certfile and key/keyfile, got only ${
          cert ? "the certificate" : "the key"
        }`,
      );
    }
    if (
      typeof c.key === "string" && isEncryptedKey(c.key) &&
      c.password === undefined
    ) {
      throw new RangeError(
        `${owner} option ${name}: the private key is encrypted; set ${name}.password`,
      );
    }
  },
);

/** The rules of {@linkcode SaslConfig}. */
export const SASL_CONFIG_RULES = {
  mechanism: rules.required(
    rules.oneOf(
      ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const,
      `"PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512"`,
    ),
    `"PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512"`,
  ),
  username: rules.required(rules.string(), "a string"),
  password: rules.required(rules.secret(), "a string"),
};

/** `sasl`: a {@linkcode SaslConfig}. */
export const saslConfigRule: OptionRule<SaslConfig> = rules.object<SaslConfig>(
  SASL_CONFIG_RULES,
  "a SaslConfig object { mechanism, username, password }",
);

/** `reconnectBackoff`: `BackoffOptions`. */
export const backoffRule: OptionRule<BackoffOptions> = rules.object<
  BackoffOptions
>(
  BACKOFF_OPTION_RULES,
  "a BackoffOptions object { initialMs, maxMs, factor, linear, jitter }",
);

/** The rules of `BrokerConnectionOptions`. */
export const BROKER_CONNECTION_RULES = {
  host: rules.required(rules.string(true), "a host name or IP address"),
  port: rules.required(rules.int(1, 65535), "a port from 1 to 65535"),
  nodeId: rules.int(-INT32_MAX - 1, INT32_MAX),
  clientId: rules.string(),
  socketTimeoutMs: rules.ms(1),
  connectTimeoutMs: rules.ms(1),
  apiVersionsTimeoutMs: rules.ms(1),
  legacyDetection: rules.bool(),
  maxFrameBytes: rules.int(1, INT32_MAX),
  sslConfig: sslConfigRule,
  sasl: saslConfigRule,
  brokerVersion: brokerVersionRule,
  sourceAddress: sourceAddressRule,
  noDelay: rules.bool(),
  transport: rules.func<TransportFactory>(
    "a TransportFactory function (options) => Promise<Transport>",
  ),
  signal: rules.signal(),
};

/** The rules of `ManagedConnectionOptions` (a connection's, but `signal`). */
export const MANAGED_CONNECTION_RULES = {
  ...omitRules(BROKER_CONNECTION_RULES, "signal"),
  connectAttempts: rules.int(1, 1000),
  reconnectBackoff: backoffRule,
  reauthMarginMs: rules.ms(0),
};

/** The rules of `TransportOptions` (already-resolved TLS and address). */
export const TRANSPORT_RULES = {
  host: BROKER_CONNECTION_RULES.host,
  port: BROKER_CONNECTION_RULES.port,
  tls: rules.check<object>(
    "a ResolvedTls object { caCerts, cert?, key?, checkHostname }",
    (v) =>
      typeof v === "object" && v !== null &&
      Array.isArray((v as { caCerts?: unknown }).caCerts),
  ),
  localAddress: rules.check<object>(
    "an object { host, port }",
    (v) =>
      typeof v === "object" && v !== null &&
      typeof (v as { host?: unknown }).host === "string" &&
      Number.isInteger((v as { port?: unknown }).port),
  ),
  noDelay: rules.bool(),
  connectTimeoutMs: rules.required(rules.ms(1), "a positive integer (ms)"),
  signal: rules.signal(),
};

/** The rules of `ScramClientOptions`. */
export const SCRAM_CLIENT_RULES = {
  hash: rules.required(
    rules.oneOf(
      ["SHA-1", "SHA-256", "SHA-512"] as const,
      `"SHA-256" or "SHA-512"`,
    ),
    `"SHA-256" or "SHA-512"`,
  ),
  username: rules.required(rules.string(), "a string"),
  password: rules.required(rules.secret(), "a string"),
  nonce: rules.parse(rules.string(true), "a string without ','", (v) => {
    if (v.includes(",")) throw new Error("',' separates SCRAM attributes");
    return v;
  }),
};
