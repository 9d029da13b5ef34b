// The client side of a fetch session (KIP-227, Fetch v7+): after a full
// request creates the session, each request lists only the partitions whose
// fetch offset or size changed since the request before, and names the
// partitions to drop ("forgotten topics"); the broker answers with only the
// partitions that have news. One session per fetch source, one request of
// it in flight at a time (the epochs must arrive in order).

import type { FetchRequestForgottenTopic } from "../protocol/mod.ts";
import type { Cursor } from "./_cursor.ts";

/** Fetch session id of "no session". */
const NO_SESSION = 0;
/** Epoch of a full request that creates a session (closing the one named). */
const INITIAL_EPOCH = 0;
/** Epoch of a request outside any session (or one that closes the session named). */
export const FINAL_EPOCH = -1;

/** Top-level errors after which the session is dropped and a full request follows. */
const SESSION_ERRORS = new Set([
  70, // FETCH_SESSION_ID_NOT_FOUND
  71, // INVALID_FETCH_SESSION_EPOCH
  106, // FETCH_SESSION_TOPIC_ID_ERROR
]);

/** What the broker's session holds for one partition (what was last sent). */
interface Sent {
  topic: string;
  topicId: string | undefined;
  partition: number;
  offset: number;
  maxBytes: number;
}

/** One request of a session, from {@linkcode FetchSession.plan}. */
export interface SessionPlan {
  /** The session id to send. */
  sessionId: number;
  /** The epoch to send (0: a full request). */
  sessionEpoch: number;
  /** True for a full request (every partition listed). */
  full: boolean;
  /** The cursors to list in the request (every one when full). */
  listed: Cursor[];
  /** The partitions to drop from the session (empty when full). */
  forgotten: FetchRequestForgottenTopic[];
  /** What the session holds once this request succeeds. */
  readonly next: Map<string, Sent>;
  /** Whether the session is keyed by topic ids (Fetch v13+). */
  readonly ids: boolean;
}

function keyOf(c: Cursor): string {
  return `${c.topic.name}\u0000${c.id}`;
}

/**
 * A fetch session with one broker. `plan()` says what the next request
 * sends; `completed()` / `failed()` say how it went.
 */
export class FetchSession {
  #id = NO_SESSION;
  #epoch = INITIAL_EPOCH;
  #ids = false;
  #sent = new Map<string, Sent>();
  /** Full requests sent (sessions created or re-created). */
  fullRequests = 0;
  /** Incremental requests sent. */
  incrementalRequests = 0;
  /** Times the broker dropped or refused the session. */
  resets = 0;

  /** The current session id (0: none yet). */
  get id(): number {
    return this.#id;
  }

  /** The epoch the next request carries (0: a full request). */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * The next request for the cursors `parts` (every partition the session
   * should hold after it, with their positions and fetch sizes now).
   * `ids`: the request names topics by id (Fetch v13+).
   */
  plan(parts: readonly Cursor[], ids: boolean): SessionPlan {
    const next = new Map<string, Sent>();
    for (const c of parts) {
      next.set(keyOf(c), {
        topic: c.topic.name,
        topicId: c.topic.topicId,
        partition: c.id,
        offset: c.nextOffset,
        maxBytes: c.maxBytes,
      });
    }
    if (this.#epoch === INITIAL_EPOCH || ids !== this.#ids) {
      return {
        sessionId: this.#id,
        sessionEpoch: INITIAL_EPOCH,
        full: true,
        listed: [...parts],
        forgotten: [],
        next,
        ids,
      };
    }
    const listed: Cursor[] = [];
    for (const c of parts) {
      const s = this.#sent.get(keyOf(c));
      if (
        s === undefined || s.offset !== c.nextOffset ||
        s.maxBytes !== c.maxBytes
      ) listed.push(c);
    }
    const byTopic = new Map<string, FetchRequestForgottenTopic>();
    for (const [key, s] of this.#sent) {
      if (next.has(key)) continue;
      let t = byTopic.get(s.topic);
      if (!t) {
        t = ids ? { topicId: s.topicId, partitions: [] } : {
          topic: s.topic,
          partitions: [],
        };
        byTopic.set(s.topic, t);
      }
      t.partitions.push(s.partition);
    }
    return {
      sessionId: this.#id,
      sessionEpoch: this.#epoch,
      full: false,
      listed,
      forgotten: [...byTopic.values()],
      next,
      ids,
    };
  }

  /**
   * The broker answered `plan`'s request with `sessionId` and top-level
   * `errorCode`. Returns `true` when the answer belongs to the session
   * (apply its partitions), `false` when the broker refused the session
   * (the next request is a full one; nothing in the answer applies).
   */
  completed(plan: SessionPlan, sessionId: number, errorCode: number): boolean {
    if (plan.full) this.fullRequests++;
    else this.incrementalRequests++;
    if (errorCode !== 0) {
      if (SESSION_ERRORS.has(errorCode)) {
        // The broker no longer knows the session: start a new one.
        this.resets++;
        this.#id = NO_SESSION;
      }
      this.#epoch = INITIAL_EPOCH;
      this.#sent.clear();
      return false;
    }
    if (plan.full) {
      // A session id of 0: the broker made no session (sessions off, or
      // its cache is full); the next request asks again.
      this.#id = sessionId;
      this.#epoch = sessionId === NO_SESSION ? INITIAL_EPOCH : 1;
    } else {
      this.#epoch = this.#epoch === 0x7fffffff ? 1 : this.#epoch + 1;
    }
    this.#ids = plan.ids;
    this.#sent = plan.next;
    return true;
  }

  /**
   * The request got no answer (timeout, dropped connection): the broker may
   * or may not have applied it, so the next request is a full one that
   * closes this session and opens another.
   */
  failed(): void {
    this.#epoch = INITIAL_EPOCH;
    this.#sent.clear();
  }

  /**
   * The request that closes the session (epoch -1, nothing listed), or
   * `undefined` when there is no session.
   */
  closing(): { sessionId: number; sessionEpoch: number } | undefined {
    if (this.#id === NO_SESSION) return undefined;
    const id = this.#id;
    this.#id = NO_SESSION;
    this.#epoch = INITIAL_EPOCH;
    this.#sent.clear();
    return { sessionId: id, sessionEpoch: FINAL_EPOCH };
  }
}
