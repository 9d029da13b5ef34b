/**
 * The connection flags every cluster command takes, mirroring
 * `KafkaClientOptions`, and the client they make. Passwords can come from
 * an environment variable or a file so that they never show in `ps`.
 *
 * @module
 */

import {
  KafkaClient,
  type KafkaClientOptions,
  type SaslConfig,
  type SaslMechanism,
  type SslConfig,
} from "../mod.ts";
import type { FlagSpec, ParsedArgs } from "./_args.ts";
import { CliError, UsageError } from "./_errors.ts";

/** The connection flags. */
export const CONNECTION_FLAGS: readonly FlagSpec[] = [
  {
    name: "hosts",
    short: "b",
    aliases: ["brokers", "broker", "bootstrap-server"],
    type: "string",
    arg: "HOST:PORT,...",
    help: "bootstrap brokers",
    env: "KAFKA_HOSTS",
    defaultText: "127.0.0.1:9092",
  },
  {
    name: "zookeeper-hosts",
    aliases: ["zookeeper"],
    type: "string",
    arg: "ZK[/CHROOT]",
    help: "find brokers through ZooKeeper (ZooKeeper-mode clusters)",
    env: "KAFKA_ZOOKEEPER_HOSTS",
  },
  {
    name: "broker-version",
    aliases: ["broker_version"],
    type: "string",
    arg: "VERSION",
    help:
      'protocol versions: "auto" (ask the brokers) or a release such as 0.9.0',
    defaultText: "auto",
  },
  {
    name: "client-id",
    type: "string",
    arg: "ID",
    help: "client id sent to the brokers",
    defaultText: "denokafka-cli",
  },
  {
    name: "socket-timeout-ms",
    type: "int",
    arg: "MS",
    help: "connect and request timeout",
    defaultText: "30000",
  },
  {
    name: "source-address",
    type: "string",
    arg: "HOST[:PORT]",
    help: "local address to bind every socket to",
  },
  {
    name: "tls",
    aliases: ["ssl"],
    type: "boolean",
    help: "use TLS (implied by the other --tls-* flags)",
  },
  {
    name: "tls-cafile",
    aliases: ["ssl-cafile", "cafile"],
    type: "string",
    arg: "FILE",
    help: "PEM file of CA certificates to trust (beside the system's)",
  },
  {
    name: "tls-certfile",
    aliases: ["ssl-certfile", "certfile"],
    type: "string",
    arg: "FILE",
    help: "PEM client certificate (mutual TLS)",
  },
  {
    name: "tls-keyfile",
    aliases: ["ssl-keyfile", "keyfile"],
    type: "string",
    arg: "FILE",
    help: "PEM client private key (mutual TLS)",
  },
  {
    name: "tls-key-password",
    type: "string",
    arg: "PASSWORD",
    help: "password of an encrypted key (visible in ps: prefer the next two)",
    env: "KAFKA_TLS_KEY_PASSWORD",
  },
  {
    name: "tls-key-password-file",
    type: "string",
    arg: "FILE",
    help: "read the key password from a file",
  },
  {
    name: "tls-key-password-env",
    type: "string",
    arg: "VAR",
    help: "read the key password from this environment variable",
  },
  {
    name: "tls-no-check-hostname",
    type: "boolean",
    help:
      "do not check the broker certificate's host name (the chain still is)",
  },
  {
    name: "sasl-mechanism",
    type: "string",
    arg: "MECHANISM",
    choices: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"],
    help: "SASL authentication",
    env: "KAFKA_SASL_MECHANISM",
  },
  {
    name: "sasl-username",
    type: "string",
    arg: "USER",
    help: "SASL user name",
    env: "KAFKA_SASL_USERNAME",
  },
  {
    name: "sasl-password",
    type: "string",
    arg: "PASSWORD",
    help: "SASL password (visible in ps: prefer the next two)",
    env: "KAFKA_SASL_PASSWORD",
  },
  {
    name: "sasl-password-file",
    type: "string",
    arg: "FILE",
    help: "read the SASL password from a file",
  },
  {
    name: "sasl-password-env",
    type: "string",
    arg: "VAR",
    help: "read the SASL password from this environment variable",
  },
];

function secret(
  args: ParsedArgs,
  flag: string,
  what: string,
): string | undefined {
  const file = args.string(`${flag}-file`);
  const envName = args.string(`${flag}-env`);
  if (file && envName) {
    throw new UsageError(
      `give the ${what} once: --${flag}-file or --${flag}-env`,
      args.command,
    );
  }
  if (file) {
    try {
      return Deno.readTextFileSync(file).replace(/\r?\n$/, "");
    } catch (e) {
      throw new CliError(
        `cannot read the ${what} from ${file}: ${(e as Error).message}`,
      );
    }
  }
  if (envName) {
    const v = Deno.env.get(envName);
    if (v === undefined) {
      throw new UsageError(
        `--${flag}-env ${envName}: the variable is not set`,
        args.command,
      );
    }
    return v;
  }
  return args.string(flag);
}

/** The `KafkaClientOptions` of the connection flags. */
export function clientOptions(args: ParsedArgs): KafkaClientOptions {
  const o: KafkaClientOptions = {
    hosts: args.string("hosts", "127.0.0.1:9092"),
    clientId: args.string("client-id", "denokafka-cli"),
  };
  const zk = args.string("zookeeper-hosts");
  if (zk) o.zookeeperHosts = zk;
  const bv = args.string("broker-version");
  if (bv) o.brokerVersion = bv;
  const st = args.number("socket-timeout-ms");
  if (st !== undefined) o.socketTimeoutMs = st;
  const sa = args.string("source-address");
  if (sa) o.sourceAddress = sa;

  const ssl: SslConfig = {};
  const cafile = args.string("tls-cafile");
  const certfile = args.string("tls-certfile");
  const keyfile = args.string("tls-keyfile");
  if (cafile) ssl.cafile = cafile;
  if (certfile) ssl.certfile = certfile;
  if (keyfile) ssl.keyfile = keyfile;
  const keyPassword = secret(args, "tls-key-password", "TLS key password");
  if (keyPassword !== undefined) ssl.password = keyPassword;
  if (args.bool("tls-no-check-hostname")) ssl.checkHostname = false;
  if (args.bool("tls") || Object.keys(ssl).length > 0) o.sslConfig = ssl;

  const mechanism = args.string("sasl-mechanism");
  const username = args.string("sasl-username");
  const password = secret(args, "sasl-password", "SASL password");
  if (mechanism) {
    if (username === undefined || password === undefined) {
      throw new UsageError(
        `--sasl-mechanism ${mechanism} needs --sasl-username and a password (--sasl-password-file, --sasl-password-env or KAFKA_SASL_PASSWORD)`,
        args.command,
      );
    }
    const sasl: SaslConfig = {
      mechanism: mechanism as SaslMechanism,
      username,
      password,
    };
    o.sasl = sasl;
  } else if (args.has("sasl-username")) {
    throw new UsageError(
      "--sasl-username needs --sasl-mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)",
      args.command,
    );
  }
  return o;
}

/**
 * Connects a client with the connection flags. `extra` adds client
 * options (`autoCreateTopics`, ...).
 */
export async function connect(
  args: ParsedArgs,
  extra: KafkaClientOptions = {},
): Promise<KafkaClient> {
  const client = new KafkaClient({
    metadataRefreshIntervalMs: 0,
    ...clientOptions(args),
    ...extra,
  });
  try {
    await client.connect();
  } catch (e) {
    await client.close().catch(() => {});
    throw e;
  }
  return client;
}
