/**
 * Provisions and runs the local Kafka test cluster as plain processes:
 * ZooKeeper + two Kafka 3.9 brokers in ZooKeeper mode, and one Kafka 4.x
 * KRaft node. Jars come from Maven Central (see the POMs beside this file)
 * into a cache outside the repository. Every process started is recorded in
 * a pid file; `clusterDown` stops exactly those.
 *
 * @module
 */

import { dirname, join } from "node:path";
import {
  BROKERS,
  type BrokerSpec,
  cacheDir,
  KAFKA_39_VERSION,
  KAFKA_4_VERSION,
  KRAFT_CONTROLLER_PORT,
  type ListenerSpec,
  REPO_ROOT,
  runDir,
  SASL_USERS,
  TLS_KEY_PASSWORD,
  tlsPaths,
  ZOOKEEPER_CHROOT,
  ZOOKEEPER_PORT,
} from "./layout.ts";
import { probeApiVersions, probeBrokers, type ProbeTarget } from "./probe.ts";

/** Options shared by the cluster operations. */
export interface ManagerOptions {
  /** Progress output; defaults to stderr. */
  log?: (line: string) => void;
  /** How long to wait for one process to come up, in ms (default 120 000). */
  startTimeoutMs?: number;
}

type Log = (line: string) => void;

const defaultLog: Log = (line) => {
  const enc = new TextEncoder();
  Deno.stderr.writeSync(enc.encode(`[cluster] ${line}\n`));
};

// ---------------------------------------------------------------- helpers

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    env: opts.env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(
      `${cmd} ${args.join(" ")} failed (exit ${out.code}):\n${err}\n${text}`,
    );
  }
  return text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Reads the command line of a live process, or null when it is gone (or a
 * zombie). A process in the middle of exec() has an empty command line for
 * a moment: that reads as "" (alive), not null.
 */
async function cmdline(pid: number): Promise<string | null> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // the field after the parenthesised command name is the state; Z = zombie
    const state = stat.slice(
      stat.lastIndexOf(")") + 2,
      stat.lastIndexOf(")") + 3,
    );
    if (state === "Z" || state === "X") return null;
    const raw = await Deno.readFile(`/proc/${pid}/cmdline`);
    return new TextDecoder().decode(raw).replaceAll("\0", " ");
  } catch {
    return null;
  }
}

async function tail(path: string, lines = 25): Promise<string> {
  try {
    const text = await Deno.readTextFile(path);
    return text.split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log yet)";
  }
}

// ---------------------------------------------------------------- processes

/** A process the manager starts and stops. */
interface Component {
  name: string;
  /** A string that appears in the command line of exactly this process. */
  marker: string;
}

function paths(dir = runDir()) {
  return {
    pids: join(dir, "pids"),
    logs: join(dir, "logs"),
    data: join(dir, "data"),
    config: join(dir, "config"),
    tls: join(dir, "tls"),
  };
}

function componentName(broker: BrokerSpec | "zookeeper"): string {
  return broker === "zookeeper" ? "zookeeper" : `broker-${broker.id}`;
}

function pidFile(name: string): string {
  return join(paths().pids, `${name}.pid`);
}

/** Log file of a cluster process ("zookeeper" or "broker-<id>"). */
export function logFile(name: string): string {
  return join(paths().logs, `${name}.log`);
}

function configFile(name: string): string {
  return join(paths().config, `${name}.properties`);
}

/** Returns the pid of a running component, or null. */
async function runningPid(c: Component): Promise<number | null> {
  let pid: number;
  try {
    pid = Number((await Deno.readTextFile(pidFile(c.name))).trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const cl = await cmdline(pid);
  if (cl === null || !cl.includes(c.marker)) return null;
  return pid;
}

async function spawnDetached(
  name: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<number> {
  const log = logFile(name);
  // setsid + nohup: the process outlives this Deno process and its terminal.
  // Descriptors above 2 are closed first: one inherited from the caller (the
  // `flock` of /work/locks/cluster or a CI lock) would otherwise stay open in
  // the broker, which would hold that lock for as long as it runs.
  const script = "for f in /proc/$$/fd/*; do f=${f##*/}; " +
    '[ "$f" -gt 2 ] 2>/dev/null && eval "exec $f>&-" 2>/dev/null; done; ' +
    'setsid nohup "$@" >>"$DK_LOG" 2>&1 </dev/null & echo $!';
  const out = await run("bash", ["-c", script, "bash", ...argv], {
    env: { ...env, DK_LOG: log },
  });
  const pid = Number(out.trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new Error(`could not start ${name}: ${out}`);
  }
  await Deno.writeTextFile(pidFile(name), `${pid}\n`);
  return pid;
}

async function stopPid(
  pid: number,
  name: string,
  log: Log,
  graceMs = 30_000,
): Promise<void> {
  try {
    Deno.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if ((await cmdline(pid)) === null) return;
    await sleep(100);
  }
  log(`${name} (pid ${pid}) did not stop within ${graceMs} ms; killing it`);
  try {
    Deno.kill(pid, "SIGKILL");
  } catch { /* gone */ }
  for (let i = 0; i < 50 && (await cmdline(pid)) !== null; i++) {
    await sleep(100);
  }
}

// ---------------------------------------------------------------- jars

/** Directory holding the broker classpath of one Kafka version. */
export function libDir(version: string): string {
  return join(cacheDir(), `kafka-${version}`, "lib");
}

async function ensureJars(
  version: string,
  pom: string,
  log: Log,
): Promise<string> {
  const lib = libDir(version);
  const marker = join(dirname(lib), ".complete");
  if (await exists(marker)) return lib;
  log(
    `resolving Kafka ${version} jars from Maven Central into ${
      dirname(lib)
    } ...`,
  );
  const started = Date.now();
  const tmp = `${lib}.tmp-${Deno.pid}`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  await Deno.mkdir(tmp, { recursive: true });
  await run("mvn", [
    "-q",
    "-B",
    "-f",
    join(REPO_ROOT, "tests", "cluster", pom),
    `-Dkafka.version=${version}`,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${tmp}`,
    "-DincludeScope=runtime",
  ]);
  await Deno.remove(lib, { recursive: true }).catch(() => {});
  await Deno.rename(tmp, lib);
  await Deno.writeTextFile(marker, new Date().toISOString() + "\n");
  let count = 0;
  for await (const _ of Deno.readDir(lib)) count++;
  log(
    `Kafka ${version}: ${count} jars in ${
      ((Date.now() - started) / 1000).toFixed(1)
    } s`,
  );
  return lib;
}

// ---------------------------------------------------------------- TLS

async function ensureTls(log: Log): Promise<void> {
  const t = tlsPaths();
  if (await exists(t.untrustedClientKeyFile)) return;
  log("generating TLS material with openssl ...");
  const dir = dirname(t.caFile);
  await Deno.mkdir(dir, { recursive: true });
  const o = (args: string[]) => run("openssl", args, { cwd: dir });
  const ca = async (name: string, cn: string) => {
    await o([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-sha256",
      "-days",
      "3650",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-subj",
      `/CN=${cn}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
  };
  const leaf = async (
    name: string,
    caName: string,
    cn: string,
    ext: string,
  ) => {
    await o([
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-sha256",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${cn}`,
    ]);
    await Deno.writeTextFile(join(dir, `${name}.ext`), ext);
    await o([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${caName}.pem`,
      "-CAkey",
      `${caName}.key`,
      "-CAcreateserial",
      "-days",
      "3650",
      "-sha256",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.pem`,
    ]);
  };
  await ca("ca", "denokafka test CA");
  await ca("untrusted-ca", "denokafka untrusted CA");
  const common =
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n";
  await leaf(
    "server",
    "ca",
    "localhost",
    common +
      "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  await leaf(
    "client",
    "ca",
    "denokafka-client",
    common + "extendedKeyUsage=clientAuth\n",
  );
  await leaf(
    "untrusted-client",
    "untrusted-ca",
    "untrusted-client",
    common + "extendedKeyUsage=clientAuth\n",
  );
  // The broker's PEM keystore: PKCS#8 key followed by the certificate chain.
  const serverKey = await Deno.readTextFile(join(dir, "server.key"));
  const serverCert = await Deno.readTextFile(join(dir, "server.pem"));
  const caCert = await Deno.readTextFile(t.caFile);
  await Deno.writeTextFile(
    join(dir, "server-keystore.pem"),
    serverKey + serverCert + caCert,
  );
  await o([
    "pkcs8",
    "-topk8",
    "-v2",
    "aes-256-cbc",
    "-in",
    "client.key",
    "-out",
    "client-encrypted.key",
    "-passout",
    `pass:${TLS_KEY_PASSWORD}`,
  ]);
}

// ---------------------------------------------------------------- configs

function props(entries: Record<string, string | number | boolean>): string {
  return Object.entries(entries).map(([k, v]) => `${k}=${v}`).join("\n") + "\n";
}

function jaasPlain(): string {
  const users = Object.values(SASL_USERS).map((u) =>
    `user_${u.username}="${u.password}"`
  ).join(" ");
  return `org.apache.kafka.common.security.plain.PlainLoginModule required ${users};`;
}

function securityProps(b: BrokerSpec): Record<string, string> {
  const t = tlsPaths();
  const p: Record<string, string> = {
    "ssl.keystore.type": "PEM",
    "ssl.keystore.location": join(dirname(t.caFile), "server-keystore.pem"),
    "ssl.truststore.type": "PEM",
    "ssl.truststore.location": t.caFile,
    "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
  };
  for (const l of b.listeners) {
    const ln = l.name.toLowerCase();
    if (l.protocol.startsWith("SASL")) {
      p[`listener.name.${ln}.plain.sasl.jaas.config`] = jaasPlain();
      p[`listener.name.${ln}.scram-sha-256.sasl.jaas.config`] =
        "org.apache.kafka.common.security.scram.ScramLoginModule required;";
      p[`listener.name.${ln}.scram-sha-512.sasl.jaas.config`] =
        "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    }
    if (l.clientAuth) p[`listener.name.${ln}.ssl.client.auth`] = "required";
  }
  return p;
}

function listenerList(ls: readonly ListenerSpec[]): string {
  return ls.map((l) => `${l.name}://127.0.0.1:${l.port}`).join(",");
}

function protocolMap(
  ls: readonly ListenerSpec[],
  extra: string[] = [],
): string {
  return [...ls.map((l) => `${l.name}:${l.protocol}`), ...extra].join(",");
}

const TEST_FRIENDLY = {
  "auto.create.topics.enable": true,
  "delete.topic.enable": true,
  "num.partitions": 1,
  "group.initial.rebalance.delay.ms": 0,
  "offsets.topic.num.partitions": 3,
  "transaction.state.log.num.partitions": 3,
  "transaction.state.log.min.isr": 1,
  "min.insync.replicas": 1,
  "num.network.threads": 2,
  "num.io.threads": 4,
  "log.retention.check.interval.ms": 60000,
};

function broker39Config(b: BrokerSpec): string {
  return props({
    "broker.id": b.id,
    "zookeeper.connect": `127.0.0.1:${ZOOKEEPER_PORT}${ZOOKEEPER_CHROOT}`,
    "zookeeper.connection.timeout.ms": 30000,
    "listeners": listenerList(b.listeners),
    "advertised.listeners": listenerList(b.listeners),
    "listener.security.protocol.map": protocolMap(b.listeners),
    "inter.broker.listener.name": "PLAINTEXT",
    "log.dirs": join(paths().data, `broker-${b.id}`),
    ...TEST_FRIENDLY,
    "offsets.topic.replication.factor": 2,
    "transaction.state.log.replication.factor": 2,
    "default.replication.factor": 1,
    ...securityProps(b),
  });
}

function kraftConfig(b: BrokerSpec): string {
  return props({
    "process.roles": "broker,controller",
    "node.id": b.id,
    "controller.quorum.voters": `${b.id}@127.0.0.1:${KRAFT_CONTROLLER_PORT}`,
    "controller.listener.names": "CONTROLLER",
    "listeners": `${
      listenerList(b.listeners)
    },CONTROLLER://127.0.0.1:${KRAFT_CONTROLLER_PORT}`,
    "advertised.listeners": listenerList(b.listeners),
    "listener.security.protocol.map": protocolMap(b.listeners, [
      "CONTROLLER:PLAINTEXT",
    ]),
    "inter.broker.listener.name": "PLAINTEXT",
    "log.dirs": join(paths().data, `broker-${b.id}`),
    ...TEST_FRIENDLY,
    "offsets.topic.replication.factor": 1,
    "transaction.state.log.replication.factor": 1,
    "share.coordinator.state.topic.replication.factor": 1,
    "share.coordinator.state.topic.min.isr": 1,
    ...securityProps(b),
  });
}

const LOG4J1 = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
`;

const LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.state.name = state.change.logger
logger.state.level = warn
`;

const JVM_FLAGS = [
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
];

function javaBin(): string {
  const home = Deno.env.get("JAVA_HOME");
  return home ? join(home, "bin", "java") : "java";
}

// ---------------------------------------------------------------- readiness

/** How to reach one listener from Deno, with TLS settings when it needs them. */
export async function probeTarget(l: ListenerSpec): Promise<ProbeTarget> {
  const target: ProbeTarget = { host: "127.0.0.1", port: l.port };
  if (l.protocol === "SSL" || l.protocol === "SASL_SSL") {
    const t = tlsPaths();
    target.tls = { caCerts: [await Deno.readTextFile(t.caFile)] };
    if (l.clientAuth) {
      target.tls.cert = await Deno.readTextFile(t.clientCertFile);
      target.tls.key = await Deno.readTextFile(t.clientKeyFile);
    }
  }
  return target;
}

async function waitFor(
  what: string,
  name: string,
  pid: number | null,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (pid !== null && (await cmdline(pid)) === null) {
      throw new Error(
        `${name} exited before ${what}; see its log ${
          logFile(name)
        }:\n${await tail(logFile(name))}`,
      );
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await sleep(250);
  }
  throw new Error(
    `${name} did not come up within ${
      timeoutMs / 1000
    } s (${what}; last error: ${lastError || "none"}); ` +
      `see its log ${logFile(name)}:\n${await tail(logFile(name))}`,
  );
}

async function zkReady(): Promise<boolean> {
  const conn = await Deno.connect({
    hostname: "127.0.0.1",
    port: ZOOKEEPER_PORT,
  });
  try {
    await conn.write(new TextEncoder().encode("srvr"));
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(
      chunks.reduce((a, b) => {
        const c = new Uint8Array(a.length + b.length);
        c.set(a);
        c.set(b, a.length);
        return c;
      }, new Uint8Array(0)),
    );
    return /Mode: standalone/.test(text);
  } finally {
    conn.close();
  }
}

async function brokerReady(b: BrokerSpec): Promise<boolean> {
  for (const l of b.listeners) {
    const versions = await probeApiVersions(await probeTarget(l), 3000);
    if (!versions.has(0)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- components

const ZK: Component = {
  name: "zookeeper",
  marker: join(runDir(), "config", "zookeeper.properties"),
};

function brokerComponent(b: BrokerSpec): Component {
  return { name: componentName(b), marker: configFile(componentName(b)) };
}

function allComponents(): Component[] {
  return [ZK, ...BROKERS.map(brokerComponent)];
}

async function startZookeeper(
  lib: string,
  log: Log,
  timeoutMs: number,
): Promise<void> {
  if (await runningPid(ZK) !== null) {
    log("zookeeper already running");
    return;
  }
  const dataDir = join(paths().data, "zookeeper");
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.writeTextFile(
    configFile("zookeeper"),
    props({
      dataDir,
      clientPort: ZOOKEEPER_PORT,
      clientPortAddress: "127.0.0.1",
      maxClientCnxns: 0,
      "admin.enableServer": false,
      "4lw.commands.whitelist": "ruok,srvr,stat",
    }),
  );
  const log4j = join(paths().config, "log4j.properties");
  const pid = await spawnDetached("zookeeper", [
    javaBin(),
    "-Xms64m",
    "-Xmx256m",
    ...JVM_FLAGS,
    `-Dlog4j.configuration=file:${log4j}`,
    "-cp",
    `${lib}/*`,
    "org.apache.zookeeper.server.quorum.QuorumPeerMain",
    configFile("zookeeper"),
  ]);
  log(
    `zookeeper started (pid ${pid}), waiting for 127.0.0.1:${ZOOKEEPER_PORT} ...`,
  );
  await waitFor(
    "serving on its client port",
    "zookeeper",
    pid,
    timeoutMs,
    zkReady,
  );
  log("zookeeper ready");
}

/**
 * node-zookeeper-client, imported when the cluster is first provisioned (a
 * variable, not a literal, so that `deno task demo` and every test that
 * only uses a running cluster never download it).
 */
const ZOOKEEPER_CLIENT = "npm:node-zookeeper-client@1.1.3";

/** Creates a persistent ZooKeeper node (and its parents) if missing. */
async function createZkNode(path: string): Promise<void> {
  const zookeeper = (await import(ZOOKEEPER_CLIENT)).default;
  const client = zookeeper.createClient(`127.0.0.1:${ZOOKEEPER_PORT}`, {
    sessionTimeout: 10000,
    retries: 3,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("timed out connecting to ZooKeeper")),
        15000,
      );
      client.once("connected", () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    await new Promise<void>((resolve, reject) => {
      client.mkdirp(
        path,
        (err: Error | null) => (err ? reject(err) : resolve()),
      );
    });
  } finally {
    client.close();
  }
}

async function addScramUsers39(lib: string, log: Log): Promise<void> {
  const marker = join(paths().data, "zookeeper", ".scram-users");
  if (await exists(marker)) return;
  log("adding SCRAM users to ZooKeeper ...");
  await createZkNode(ZOOKEEPER_CHROOT);
  await Promise.all(
    Object.values(SASL_USERS).map((u) =>
      run(javaBin(), [
        "-Xmx256m",
        `-Dlog4j.configuration=file:${
          join(paths().config, "log4j.properties")
        }`,
        "-cp",
        `${lib}/*`,
        "kafka.admin.ConfigCommand",
        "--zookeeper",
        `127.0.0.1:${ZOOKEEPER_PORT}${ZOOKEEPER_CHROOT}`,
        "--alter",
        "--add-config",
        `SCRAM-SHA-256=[iterations=4096,password=${u.password}],SCRAM-SHA-512=[password=${u.password}]`,
        "--entity-type",
        "users",
        "--entity-name",
        u.username,
      ])
    ),
  );
  await Deno.writeTextFile(marker, "done\n");
}

async function formatKraft(
  lib: string,
  b: BrokerSpec,
  log: Log,
): Promise<void> {
  const dataDir = join(paths().data, `broker-${b.id}`);
  if (await exists(join(dataDir, "meta.properties"))) return;
  log(`formatting KRaft storage of broker ${b.id} ...`);
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const clusterId = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  const scram: string[] = [];
  for (const u of Object.values(SASL_USERS)) {
    for (const m of ["SCRAM-SHA-256", "SCRAM-SHA-512"]) {
      scram.push(
        "--add-scram",
        `${m}=[name=${u.username},password=${u.password}]`,
      );
    }
  }
  await run(javaBin(), [
    "-Xmx256m",
    `-Dlog4j2.configurationFile=${join(paths().config, "log4j2.properties")}`,
    "-cp",
    `${lib}/*`,
    "kafka.tools.StorageTool",
    "format",
    "-t",
    clusterId,
    "-c",
    configFile(componentName(b)),
    ...scram,
  ]);
}

async function startBrokerProcess(
  b: BrokerSpec,
  lib: string,
  log: Log,
): Promise<number> {
  const name = componentName(b);
  const is39 = b.cluster === "kafka39";
  const logging = is39
    ? `-Dlog4j.configuration=file:${join(paths().config, "log4j.properties")}`
    : `-Dlog4j2.configurationFile=${join(paths().config, "log4j2.properties")}`;
  const pid = await spawnDetached(name, [
    javaBin(),
    "-Xms256m",
    "-Xmx768m",
    ...JVM_FLAGS,
    logging,
    `-Dkafka.logs.dir=${paths().logs}`,
    "-cp",
    `${lib}/*`,
    "kafka.Kafka",
    configFile(name),
  ]);
  const version = is39 ? KAFKA_39_VERSION : KAFKA_4_VERSION;
  log(
    `broker ${b.id} (Kafka ${version}) started (pid ${pid}), waiting for its listeners ...`,
  );
  return pid;
}

async function writeBrokerConfig(b: BrokerSpec): Promise<void> {
  await Deno.writeTextFile(
    configFile(componentName(b)),
    b.cluster === "kafka39" ? broker39Config(b) : kraftConfig(b),
  );
}

async function waitBroker(
  b: BrokerSpec,
  pid: number | null,
  timeoutMs: number,
  log: Log,
): Promise<void> {
  const name = componentName(b);
  await waitFor(
    "every listener answering ApiVersions",
    name,
    pid,
    timeoutMs,
    () => brokerReady(b),
  );
  if (b.cluster === "kafka39") {
    // Wait until the cluster metadata lists every running 3.9 broker.
    const plaintext = b.listeners.find((l) => l.protocol === "PLAINTEXT")!;
    const expected: number[] = [];
    for (const other of BROKERS.filter((x) => x.cluster === "kafka39")) {
      if (await runningPid(brokerComponent(other)) !== null) {
        expected.push(other.id);
      }
    }
    await waitFor(
      "metadata listing every running broker",
      name,
      pid,
      timeoutMs,
      async () => {
        const ids = (await probeBrokers(await probeTarget(plaintext), 3000))
          .map((x) => x.nodeId);
        return expected.every((id) => ids.includes(id));
      },
    );
  }
  log(`broker ${b.id} ready`);
}

async function prepareDirs(): Promise<void> {
  const p = paths();
  for (const d of [p.pids, p.logs, p.data, p.config]) {
    await Deno.mkdir(d, { recursive: true });
  }
  await Deno.writeTextFile(join(p.config, "log4j.properties"), LOG4J1);
  await Deno.writeTextFile(join(p.config, "log4j2.properties"), LOG4J2);
}

/** Fails clearly when a port of a component we are about to start is taken. */
function assertPortsFree(running: (number | null)[]): void {
  const ports: [string, number][] = [];
  if (running[0] === null) ports.push(["zookeeper", ZOOKEEPER_PORT]);
  BROKERS.forEach((b, i) => {
    if (running[i + 1] !== null) return;
    for (const l of b.listeners) {
      ports.push([`broker ${b.id} ${l.name}`, l.port]);
    }
    if (b.cluster === "kafka4") {
      ports.push([`broker ${b.id} CONTROLLER`, KRAFT_CONTROLLER_PORT]);
    }
  });
  for (const [what, port] of ports) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
    } catch (e) {
      if (e instanceof Deno.errors.AddrInUse) {
        throw new Error(
          `port ${port} (${what}) is already in use by a process this checkout did not start ` +
            `(pid files in ${paths().pids}); stop it (another checkout's cluster? run ` +
            "`deno task cluster:down` there) and try again",
        );
      }
      throw e;
    }
  }
}

// ---------------------------------------------------------------- public API

/**
 * Starts whatever part of the cluster is not running, and waits until every
 * listener answers. Harmless when the cluster is already up.
 */
export async function clusterUp(opts: ManagerOptions = {}): Promise<void> {
  const log = opts.log ?? defaultLog;
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const started = Date.now();
  const running = await Promise.all(allComponents().map(runningPid));
  if (running.every((p) => p !== null)) {
    // Still make sure they answer (a broker may be starting up).
    for (const b of BROKERS) {
      await waitBroker(b, running[BROKERS.indexOf(b) + 1], timeoutMs, () => {});
    }
    log(`cluster already running (${runDir()})`);
    return;
  }
  if (running.every((p) => p === null)) {
    // Nothing of ours runs: start from clean data so no stale state leaks in.
    const p = paths();
    await Deno.remove(p.data, { recursive: true }).catch(() => {});
    await Deno.remove(p.tls, { recursive: true }).catch(() => {});
    await Deno.remove(p.logs, { recursive: true }).catch(() => {});
  }
  assertPortsFree(running);
  await prepareDirs();
  const [lib39, lib4] = await Promise.all([
    ensureJars(KAFKA_39_VERSION, "pom-3.9.xml", log),
    ensureJars(KAFKA_4_VERSION, "pom-4.x.xml", log),
  ]);
  await ensureTls(log);
  for (const b of BROKERS) await writeBrokerConfig(b);

  // The KRaft node does not need ZooKeeper: format and start it first so it
  // boots while ZooKeeper and the 3.9 brokers come up.
  const pids = new Map<number, number | null>();
  for (const b of BROKERS.filter((x) => x.cluster === "kafka4")) {
    let pid = await runningPid(brokerComponent(b));
    if (pid === null) {
      await formatKraft(lib4, b, log);
      pid = await startBrokerProcess(b, lib4, log);
    }
    pids.set(b.id, pid);
  }
  await startZookeeper(lib39, log, timeoutMs);
  await addScramUsers39(lib39, log);
  for (const b of BROKERS.filter((x) => x.cluster === "kafka39")) {
    let pid = await runningPid(brokerComponent(b));
    if (pid === null) pid = await startBrokerProcess(b, lib39, log);
    pids.set(b.id, pid);
  }
  for (const b of BROKERS) {
    await waitBroker(b, pids.get(b.id) ?? null, timeoutMs, log);
  }
  log(
    `cluster up in ${
      ((Date.now() - started) / 1000).toFixed(1)
    } s; data, logs and pids in ${runDir()}`,
  );
}

/**
 * Stops every process recorded in a pid file (brokers first, then
 * ZooKeeper) and removes their data, logs and TLS material.
 */
export async function clusterDown(
  opts: ManagerOptions & { keepData?: boolean } = {},
): Promise<void> {
  const log = opts.log ?? defaultLog;
  const brokers = BROKERS.map(brokerComponent);
  await Promise.all(brokers.map(async (c) => {
    const pid = await runningPid(c);
    if (pid !== null) {
      log(`stopping ${c.name} (pid ${pid})`);
      await stopPid(pid, c.name, log);
    }
    await Deno.remove(pidFile(c.name)).catch(() => {});
  }));
  const zk = await runningPid(ZK);
  if (zk !== null) {
    log(`stopping zookeeper (pid ${zk})`);
    await stopPid(zk, "zookeeper", log);
  }
  await Deno.remove(pidFile(ZK.name)).catch(() => {});
  if (!opts.keepData) {
    await Deno.remove(runDir(), { recursive: true }).catch(() => {});
    log(`removed ${runDir()}`);
  }
  log("cluster down");
}

/** One line per process: name, pid or "stopped". */
export async function clusterStatus(): Promise<
  { name: string; pid: number | null }[]
> {
  return await Promise.all(
    allComponents().map(async (c) => ({
      name: c.name,
      pid: await runningPid(c),
    })),
  );
}

function brokerSpec(id: number): BrokerSpec {
  const b = BROKERS.find((x) => x.id === id);
  if (!b) {
    throw new RangeError(
      `no broker with id ${id}; known: ${BROKERS.map((x) => x.id).join(", ")}`,
    );
  }
  return b;
}

/** Stops one broker (SIGTERM: a controlled shutdown) and waits until it has exited. */
export async function stopBroker(
  id: number,
  opts: ManagerOptions = {},
): Promise<void> {
  const log = opts.log ?? defaultLog;
  const c = brokerComponent(brokerSpec(id));
  const pid = await runningPid(c);
  if (pid === null) return;
  log(`stopping broker ${id} (pid ${pid})`);
  await stopPid(pid, c.name, log);
  await Deno.remove(pidFile(c.name)).catch(() => {});
}

/**
 * Kills one broker with SIGKILL (no controlled shutdown, no flush: a crash)
 * and waits until the process is gone. In ZooKeeper mode the broker stays
 * registered until its session expires (`zookeeper.session.timeout.ms`,
 * 18 s): only then do its partitions get new leaders, and only then can it
 * register again.
 */
export async function killBroker(
  id: number,
  opts: ManagerOptions = {},
): Promise<void> {
  const log = opts.log ?? defaultLog;
  const c = brokerComponent(brokerSpec(id));
  const pid = await runningPid(c);
  if (pid === null) return;
  log(`killing broker ${id} (pid ${pid}) with SIGKILL`);
  try {
    Deno.kill(pid, "SIGKILL");
  } catch { /* gone already */ }
  for (let i = 0; i < 100 && (await cmdline(pid)) !== null; i++) {
    await sleep(100);
  }
  await Deno.remove(pidFile(c.name)).catch(() => {});
}

/** Starts one stopped broker (keeping its data) and waits until it serves. */
export async function startBroker(
  id: number,
  opts: ManagerOptions = {},
): Promise<void> {
  const log = opts.log ?? defaultLog;
  const b = brokerSpec(id);
  let pid = await runningPid(brokerComponent(b));
  if (pid === null) {
    const lib = libDir(
      b.cluster === "kafka39" ? KAFKA_39_VERSION : KAFKA_4_VERSION,
    );
    pid = await startBrokerProcess(b, lib, log);
  }
  await waitBroker(b, pid, opts.startTimeoutMs ?? 120_000, log);
}
