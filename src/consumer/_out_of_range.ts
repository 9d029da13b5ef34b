// OFFSET_OUT_OF_RANGE from a fetch: each cursor moves by its reset policy
// (EARLIEST or LATEST, looked up on the leaders, one lookup per topic), or
// the consumer's hook takes over. A seek or a revoke meanwhile wins.

import { OffsetRequestFailedError } from "../errors/mod.ts";
import type { ClusterTopic, OffsetType } from "../cluster/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { Cursor } from "./_cursor.ts";
import { lookupPositions } from "./_offset_lookup.ts";

/** The settings resets need (resolved consumer options). */
export interface ResetSettings {
  autoOffsetReset: OffsetType;
  isolationLevel: 0 | 1;
  offsetsCommitMaxRetries: number;
  offsetsChannelBackoffMs: number;
  fetchErrorBackoffMs: number;
}

/**
 * Moves the out-of-range cursors `cs`. `hook` (the consumer's
 * `onOutOfRange`) may take a cursor over by returning `true`; it is then
 * not fetched for `fetchErrorBackoffMs` unless sought meanwhile. The others
 * are looked up (cursors already being reset are skipped), `track` gets
 * each lookup as a task, and one that fails for good goes to `fail`, its
 * cursors retried after the backoff.
 */
export function resetOutOfRange(
  cs: readonly Cursor[],
  o: ResetSettings,
  hook: ((cursor: Cursor) => boolean) | undefined,
  signal: AbortSignal,
  track: (task: Promise<void>) => void,
  fail: (error: Error) => void,
): void {
  const byTopic = new Map<ClusterTopic, Cursor[]>();
  for (const c of cs) {
    if (c.resetting > 0 || !c.live) continue;
    if (hook) {
      const epoch = c.epoch;
      if (hook(c)) {
        if (c.epoch === epoch) c.retryAt = Date.now() + o.fetchErrorBackoffMs;
        continue;
      }
    }
    let l = byTopic.get(c.topic);
    if (!l) byTopic.set(c.topic, l = []);
    l.push(c);
  }
  for (const [topic, todo] of byTopic) {
    track(resetTopic(topic, todo, o, signal, fail));
  }
}

async function resetTopic(
  topic: ClusterTopic,
  todo: Cursor[],
  o: ResetSettings,
  signal: AbortSignal,
  fail: (error: Error) => void,
): Promise<void> {
  const epochs = new Map<Cursor, number>();
  for (const c of todo) {
    epochs.set(c, c.epoch);
    c.resetting++;
  }
  try {
    const positions = await lookupPositions(
      topic,
      new Map(todo.map((c) => [c.id, c.resetPolicy ?? o.autoOffsetReset])),
      {
        isolationLevel: o.isolationLevel,
        retries: o.offsetsCommitMaxRetries,
        backoffMs: o.offsetsChannelBackoffMs,
        signal,
      },
    );
    for (const c of todo) {
      const next = positions.get(c.id);
      if (next !== undefined && c.live && c.epoch === epochs.get(c)) {
        c.setNext(next);
      }
    }
  } catch (e) {
    if (signal.aborted) return;
    const retryAt = Date.now() + o.fetchErrorBackoffMs;
    for (const c of todo) c.retryAt = retryAt;
    fail(
      e instanceof Error
        ? e
        : new OffsetRequestFailedError(errorText(e), { cause: e }),
    );
  } finally {
    for (const c of todo) c.resetting--;
  }
}
