import { z } from 'zod';

/**
 * Events flow one way, core to UI, over the same connection as calls (IPC channel or the host's
 * server-sent events). Long work reports progress under a job id the caller chose or received.
 */
export const appEventSchema = z.discriminatedUnion('topic', [
  z.object({
    topic: z.literal('job.progress'),
    jobId: z.string(),
    label: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
  }),
  z.object({
    topic: z.literal('job.finished'),
    jobId: z.string(),
    ok: z.boolean(),
    message: z.string(),
  }),
  z.object({
    topic: z.literal('ledger.alarm'),
    kind: z.string(),
    message: z.string(),
  }),
  z.object({ topic: z.literal('ledger.changed'), size: z.number().int().nonnegative() }),
]);

export type AppEvent = z.infer<typeof appEventSchema>;
export type EventSink = (event: AppEvent) => void;

/** Fan-out of core events to every connected transport (windows, host clients). */
export class EventHub {
  private readonly listeners = new Set<EventSink>();

  subscribe(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit: EventSink = (event) => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (closed window, dropped connection) must not stop the others.
      }
    }
  };
}
