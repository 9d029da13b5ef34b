/**
 * Command line for the local test cluster.
 *
 * ```sh
 * deno task cluster:up       # start (or reuse) ZooKeeper, Kafka 3.9 x2, Kafka 4.x
 * deno task cluster:down     # stop exactly what was started and remove its data
 * deno task cluster:status   # what runs, with pids
 * deno run -A tests/cluster/cluster.ts stop-broker 2
 * deno run -A tests/cluster/cluster.ts start-broker 2
 * ```
 *
 * @module
 */

import {
  clusterDown,
  clusterStatus,
  clusterUp,
  startBroker,
  stopBroker,
} from "./manager.ts";
import { runDir } from "./layout.ts";

async function main(args: string[]): Promise<number> {
  const [cmd, arg] = args;
  switch (cmd) {
    case "up":
      await clusterUp();
      return 0;
    case "down":
      await clusterDown({ keepData: args.includes("--keep-data") });
      return 0;
    case "status": {
      const status = await clusterStatus();
      for (const s of status) {
        console.log(
          `${s.name.padEnd(12)} ${s.pid === null ? "stopped" : `pid ${s.pid}`}`,
        );
      }
      console.log(`run dir: ${runDir()}`);
      return status.every((s) => s.pid !== null) ? 0 : 3;
    }
    case "stop-broker":
      await stopBroker(Number(arg));
      return 0;
    case "start-broker":
      await startBroker(Number(arg));
      return 0;
    default:
      console.error(
        "usage: cluster.ts up | down [--keep-data] | status | stop-broker <id> | start-broker <id>",
      );
      return 2;
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`[cluster] error: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
