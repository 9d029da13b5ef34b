// Where an admin request goes and how it is retried, for every operation
// of `Admin`: the controller (again after a metadata refresh on
// NOT_CONTROLLER or a dropped connection), a group's coordinator (again,
// after a new lookup, when it moved, is loading or the connection dropped),
// or one given broker (no retry). Operations over many items run each item
// on its own and report the failed ones together in one `AdminError`.

import {
  CoordinatorLoadInProgress,
  CoordinatorNotAvailable,
  errorForCode,
  KafkaError,
  NetworkException,
  NotController,
  NotCoordinator,
  RequestTimeoutError,
  SocketDisconnectedError,
} from "../errors/mod.ts";
import type { Broker, Cluster, ClusterTopic } from "../cluster/mod.ts";
import { RETRY_POLICIES } from "../cluster/_retry_policies.ts";
import { retry, RetrySchedule } from "../util/retry.ts";
import { AdminError } from "./admin_error.ts";

/**
 * The broker an admin request goes to:
 * - `{ controller: true }`: the controller (any live broker while it is
 *   unknown), retried after a refresh on NOT_CONTROLLER;
 * - `{ coordinator: groupId }`: the group's coordinator, retried with a new
 *   lookup when it moved;
 * - `{ broker }`: that broker, once.
 */
export type Target =
  | { readonly controller: true }
  | { readonly coordinator: string }
  | { readonly broker: Broker };

/** The controller target. */
export const CONTROLLER: Target = Object.freeze({ controller: true });

function coordinatorError(e: unknown): boolean {
  return e instanceof NotCoordinator || e instanceof CoordinatorNotAvailable ||
    e instanceof CoordinatorLoadInProgress || e instanceof NetworkException ||
    e instanceof SocketDisconnectedError || e instanceof RequestTimeoutError;
}

/** Routes and retries the requests of the admin operations over a cluster. */
export class AdminRouter {
  /** The cluster administered. */
  readonly cluster: Cluster<ClusterTopic>;

  constructor(cluster: Cluster<ClusterTopic>) {
    this.cluster = cluster;
  }

  /**
   * Runs `fn` on the target's broker, retried as the target says. `fn`
   * throws `NotController` (see {@linkcode throwIfNotController}) or a
   * coordinator error to have it run again on the right broker.
   */
  run<R>(
    target: Target,
    fn: (b: Broker) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    if ("controller" in target) return this.#onController(fn, signal);
    if ("coordinator" in target) {
      return this.#onCoordinator(target.coordinator, fn, signal);
    }
    return fn(target.broker);
  }

  /**
   * Runs `fn` for every item at once. An item that fails is reported under
   * `key(item)`; when any failed, throws one {@linkcode AdminError} for
   * `operation` naming each. Resolves with the results in item order.
   */
  async each<T, R>(
    operation: string,
    items: readonly T[],
    key: (item: T) => string,
    fn: (item: T) => Promise<R>,
  ): Promise<R[]> {
    const failures = new Map<string, KafkaError>();
    const out = await Promise.all(items.map(async (item) => {
      try {
        return await fn(item);
      } catch (e) {
        failures.set(
          key(item),
          e instanceof KafkaError ? e : new KafkaError(String(e), { cause: e }),
        );
        return undefined;
      }
    }));
    if (failures.size > 0) throw new AdminError(operation, failures);
    return out as R[];
  }

  /** The controller, or any live broker when it is unknown. */
  async controller(): Promise<Broker> {
    const cluster = this.cluster;
    await cluster.ready();
    const c = cluster.controller;
    if (c && !c.closed) return c;
    await cluster.update();
    const again = cluster.controller;
    if (again && !again.closed) return again;
    const any = [...cluster.brokers.values()].find((b) => !b.closed);
    if (!any) throw new KafkaError("no broker is known");
    return any;
  }

  /** Runs `fn` on the controller, again after a refresh on NOT_CONTROLLER. */
  async #onController<R>(
    fn: (b: Broker) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    return await retry(async (attempt) => {
      // After the backoff: a refresh to find the new controller.
      if (attempt > 0) await this.cluster.update().catch(() => {});
      return await fn(await this.controller());
    }, {
      ...RETRY_POLICIES.adminController,
      retriable: (e) =>
        e instanceof NotController || e instanceof SocketDisconnectedError,
      signal,
    });
  }

  /** Runs `fn` on a group's coordinator, again with a new lookup when it moved. */
  async #onCoordinator<R>(
    groupId: string,
    fn: (b: Broker) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> {
    const schedule = new RetrySchedule({
      ...RETRY_POLICIES.adminCoordinator,
      retriable: coordinatorError,
      signal,
    });
    for (;;) {
      // A failed lookup is not retried here: it has its own deadline.
      const broker = await this.cluster.getGroupCoordinator(groupId, {
        signal,
      });
      try {
        return await fn(broker);
      } catch (e) {
        if (coordinatorError(e)) this.cluster.invalidateCoordinator(groupId);
        await schedule.wait(e);
      }
    }
  }
}

/**
 * Throws `NotController` when a controller request's answer says the broker
 * is not the controller (error 41 on any item), so the request runs again.
 */
export function throwIfNotController(
  items: readonly { errorCode: number }[],
  broker: Broker,
): void {
  if (items.some((t) => t.errorCode === 41)) {
    throw errorForCode(41, `broker ${broker.id} is not the controller`);
  }
}

/**
 * Throws the group-level error of a coordinator's answer that asks for
 * another try elsewhere (NOT_COORDINATOR 16, COORDINATOR_NOT_AVAILABLE 15,
 * COORDINATOR_LOAD_IN_PROGRESS 14), so {@linkcode AdminRouter.run} retries.
 */
export function throwIfCoordinatorMoved(
  items: readonly { errorCode: number }[],
): void {
  for (const p of items) {
    if (p.errorCode === 16 || p.errorCode === 15 || p.errorCode === 14) {
      throw errorForCode(p.errorCode);
    }
  }
}

/**
 * The per-item errors of an answer: throws one {@linkcode AdminError} for
 * `operation` naming every item whose error code is not 0.
 */
export function throwItemErrors<T extends { errorCode: number }>(
  operation: string,
  items: Iterable<T>,
  key: (item: T) => string,
  message: (item: T) => string | null | undefined = () => null,
): void {
  const failures = new Map<string, KafkaError>();
  for (const t of items) {
    if (t.errorCode !== 0) {
      failures.set(key(t), errorForCode(t.errorCode, message(t)));
    }
  }
  if (failures.size > 0) throw new AdminError(operation, failures);
}

/** Items grouped by the broker `route` names for each, in first-seen order. */
export async function byBroker<T>(
  items: readonly T[],
  route: (item: T) => Promise<Broker>,
): Promise<Map<Broker, T[]>> {
  const out = new Map<Broker, T[]>();
  for (const item of items) {
    const b = await route(item);
    let l = out.get(b);
    if (!l) out.set(b, l = []);
    l.push(item);
  }
  return out;
}
