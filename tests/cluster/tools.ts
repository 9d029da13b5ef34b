// Running the peer tools tests compare against (kcat, Python, the Java
// classes of the Kafka 3.9 distribution the cluster resolved): one place
// for the process handling, with a timeout so nothing hangs.
import { cacheDir, KAFKA_39_VERSION } from "./layout.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Runs a command, feeding `stdin`; resolves with stdout; throws (with
 * stderr) on a non-zero exit or after `timeoutMs`.
 */
export async function run(
  cmd: string,
  args: string[],
  stdin?: string,
  timeoutMs = 120_000,
): Promise<string> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(enc.encode(stdin));
    await w.close();
  }
  const out = await child.output();
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${out.code}): ${
        dec.decode(out.stderr)
      }`,
    );
  }
  return dec.decode(out.stdout);
}

/** Runs a Java main class of the Kafka 3.9 distribution (small heap, quiet logs). */
export function java(
  mainClass: string,
  args: string[],
  stdin?: string,
): Promise<string> {
  return run("java", [
    "-Xmx256m",
    "-XX:TieredStopAtLevel=1",
    "-Dlog4j.configuration=file:/dev/null",
    "-cp",
    `${cacheDir()}/kafka-${KAFKA_39_VERSION}/lib/*`,
    mainClass,
    ...args,
  ], stdin);
}
