import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waiting without depending on how fast the machine is: poll for a condition with a generous bound
 * (reaching the bound is a failure only because the condition never came), and say plainly when a
 * step the test had to take before a deadline came too late.
 */

/** Generous enough for a busy machine; a healthy run meets the condition long before. */
export const PATIENCE_MS = 60_000;

/**
 * Jest's bound for one test or hook in files that wait like this (`jest.setTimeout`): starting a
 * system alone took close to a minute with both cores busy, past jest's default.
 */
export const SLOW_MACHINE_TIMEOUT_MS = 3 * PATIENCE_MS;

export interface WaitOptions {
  timeoutMs?: number;
  everyMs?: number;
}

/**
 * Reads a value until `done` holds for it, and returns that value. Gives up after `timeoutMs`
 * with an error naming what was awaited and the last value read.
 */
export async function eventually<T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean, { timeoutMs = PATIENCE_MS, everyMs = 250 }: WaitOptions = {}): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}; last seen: ${describe(value)}`);
    await sleep(everyMs);
  }
}

/** Waits until the wall clock reaches an instant: for a deadline to pass, or to give something that must NOT happen its chance. */
export async function clockPast(instant: number): Promise<void> {
  const wait = instant - Date.now();
  if (wait > 0) await sleep(wait);
}

/**
 * A precondition of a test on a compressed calendar: `what` was done before `deadline`. When the
 * machine was too slow for the window, the failure says so, instead of a puzzling status later.
 */
export function doneBefore(deadline: number, what: string, doneAt = Date.now()): void {
  if (doneAt < deadline) return;
  throw new Error(
    `precondition failed: ${what} had to happen before ${new Date(deadline).toISOString()}, but it was ${new Date(doneAt).toISOString()} ` +
      `(${doneAt - deadline} ms late); the test's window is too short for this machine`,
  );
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
  } catch {
    return String(value);
  }
}
