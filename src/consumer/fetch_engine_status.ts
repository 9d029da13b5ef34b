/**
 * What a `FetchEngine` reports about itself: its connections
 * (`connections`), its sources (`sources`) and its counters (`stats`).
 * Re-exported by `fetch_engine.ts`.
 *
 * @module
 */

import type { FetchStats, SourceState } from "./_fetch_source.ts";

/** One connection of a `FetchEngine`, from `connections`. */
export interface EngineConnection {
  /** The broker it goes to. */
  brokerId: number;
  /** Its connection id at the broker (`<engine>/<fetcher>` or `<engine>/<fetcher>+`). */
  lane: string;
  /** Times it was opened (1: never reconnected). */
  connects: number;
  /** Open now. */
  open: boolean;
  /**
   * The socket is the fetch worker's (`useWorkers`): it is read and its
   * records decoded off the event loop.
   */
  inWorker: boolean;
}

/** One source (broker, fetcher index) of a `FetchEngine`, from `sources`. */
export interface EngineSource {
  /** The loop runs. */
  active: boolean;
  /** Its loop's state: fetches in flight, waiting, requests, last error. */
  state: Readonly<SourceState>;
  /** The broker. */
  brokerId: number;
  /** The fetcher index. */
  fetcher: number;
  /** The session id (0: none). */
  sessionId: number;
  /** The epoch of the next request (0: a full request). */
  epoch: number;
}

/** Counters of a `FetchEngine`. */
export interface FetchEngineStats extends FetchStats {
  /** Connections the engine opened so far (reconnects included). */
  connectionsOpened: number;
  /** Connections of the engine open now. */
  connectionsOpen: number;
}
