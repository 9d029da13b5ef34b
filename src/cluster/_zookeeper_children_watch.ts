// ZookeeperClient.watchChildren: kazoo's ChildrenWatch on the client's
// public requests, set again after each change, after a dropped
// connection and on every new session.

import { ZookeeperError } from "../errors/mod.ts";
import type { ZookeeperClient } from "./zookeeper_client.ts";
import type { ChildrenWatch } from "./zookeeper_types.ts";

/**
 * Watches `path`'s children on `client` (see
 * `ZookeeperClient.watchChildren`); the watch's `cancel` is kept in
 * `cancels` until it is cancelled (the client cancels them on close).
 */
export async function watchChildren(
  client: ZookeeperClient,
  path: string,
  onChange: (children: string[]) => void,
  cancels: Set<() => void>,
): Promise<ChildrenWatch> {
  let cancelled = false;
  let armed = false;
  let arming = false;
  let again = false;
  let children: string[] = [];
  let generation = client.sessionGeneration;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const report = (c: string[]) => {
    if (cancelled) return;
    children = c;
    try {
      onChange(c);
    } catch {
      // the listener's problem
    }
  };
  const fire = () => {
    armed = false;
    arm(true);
  };
  const arm = (notify: boolean): void => {
    if (cancelled || client.state === "closed") return;
    if (arming) {
      again = true;
      return;
    }
    arming = true;
    generation = client.sessionGeneration;
    client.getChildren(path, { watch: fire }).then(
      (c) => {
        armed = true;
        if (notify) report(c);
      },
      (e) => {
        if (
          e instanceof ZookeeperError && e.zkCode === ZookeeperError.NO_NODE
        ) {
          // Deleted: report it, and wait for the node to come back.
          if (notify || children.length > 0) report([]);
          client.exists(path, { watch: fire }).then((s) => {
            if (s) fire();
            else armed = true;
          }, () => {});
        } else if (!cancelled && client.state !== "closed") {
          // Set again on the next connection (below), or after a pause
          // if the connection stays up.
          clearTimeout(retry);
          retry = setTimeout(() => {
            retry = undefined;
            if (!armed) arm(true);
          }, 1000);
        }
      },
    ).finally(() => {
      arming = false;
      if (again) {
        again = false;
        arm(true);
      }
    });
  };
  const off = client.onStateChange((s) => {
    if (s !== "connected" || cancelled) return;
    if (client.sessionGeneration !== generation || !armed) arm(true);
  });
  try {
    children = await client.getChildren(path, { watch: fire });
    armed = true;
  } catch (e) {
    off();
    throw e;
  }
  const cancel = () => {
    cancelled = true;
    clearTimeout(retry);
    cancels.delete(cancel);
    off();
  };
  cancels.add(cancel);
  return {
    get children() {
      return children;
    },
    cancel,
  };
}
