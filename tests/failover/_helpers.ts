// Shared by the failover tests: bringing a stopped broker back.
import { cluster } from "../cluster/mod.ts";
import { clusterStatus } from "../cluster/manager.ts";
import { waitFor } from "../wait_for.ts";

/**
 * Starts broker `id` again (keeping its data) and waits until it serves.
 * The cluster helper can mistake a process in the middle of exec for one
 * that exited; then, instead of a fixed pause, this waits (bounded) until
 * the broker's process shows up as running, and starts it once more, which
 * only waits for a running process (or starts one if it really exited).
 */
export async function restartBroker(id: number): Promise<void> {
  try {
    await cluster.startBroker(id);
  } catch (e) {
    console.error(`startBroker(${id}) failed once, retrying: ${e}`);
    const name = `broker-${id}`;
    await waitFor(
      async () =>
        (await clusterStatus()).some((c) => c.name === name && c.pid !== null),
      { timeoutMs: 10_000, intervalMs: 200, what: `${name} running` },
    ).catch(() => {
      // It exited after all: the second start launches it anew.
    });
    await cluster.startBroker(id);
  }
}
