import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * How much lower than its parent a GHES report parser thread runs (nice steps). The parser
 * threads share the machine's cores with the thread that fetches the GHEC pages (and, in the App,
 * stores the accounts): at 10 steps the scheduler gives a runnable parser about a tenth of the
 * CPU it gives the main thread, so pages are read as soon as they arrive and the parsers use
 * what is left, instead of three threads splitting two cores evenly.
 */
export const PARSER_THREAD_NICENESS = 10;

/** The most a Linux thread can be niced. */
const MAX_NICE = 19;

/** What `lowerThreadPriority` uses from the system, replaceable in tests. */
export interface PrioritySystem {
  platform: NodeJS.Platform;
  /** The process's id as it sees itself (`process.pid`). */
  pid: number;
  /** `readlink`: `/proc/thread-self` resolves to `<pid>/task/<tid>` for the calling thread. */
  readlink: (path: string) => string;
  getPriority: (id: number) => number;
  setPriority: (id: number, priority: number) => void;
}

const system: PrioritySystem = {
  platform: process.platform,
  pid: process.pid,
  readlink: readlinkSync,
  getPriority,
  setPriority,
};

/**
 * The Linux task id of the calling thread (a worker thread's own id, not the process's), or
 * `undefined` where it cannot be known. Only when /proc names the process by the id it has for
 * itself: a /proc of another PID namespace (a sandbox that did not mount its own) gives ids of
 * that namespace, which here may be some other process's thread.
 */
export function currentThreadId(sys: PrioritySystem = system): number | undefined {
  if (sys.platform !== "linux") return undefined;
  try {
    const [pid, task, id] = sys.readlink("/proc/thread-self").split("/");
    const tid = Number(id);
    return Number(pid) === sys.pid && task === "task" && Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the calling thread's CPU priority by `steps` nice steps (at most to 19), leaving the
 * process's other threads as they are: on Linux the nice value belongs to each thread, and
 * `setpriority` given a thread's task id changes that thread only. Relative to the thread's
 * current value, so a process already niced by its operator is never raised back up.
 *
 * Best effort by design: elsewhere than Linux (where `setPriority(pid)` would lower the whole
 * process), or when the system refuses (a container without /proc, a seccomp filter), the thread
 * runs at its parent's priority, as it did before, and nothing fails.
 *
 * @returns the nice value the thread now has, or `undefined` when it was left unchanged.
 * @example lowerThreadPriority(PARSER_THREAD_NICENESS); // first thing in a worker thread
 */
export function lowerThreadPriority(steps: number, sys: PrioritySystem = system): number | undefined {
  const tid = currentThreadId(sys);
  if (tid === undefined) return undefined;
  try {
    const current = sys.getPriority(tid);
    const lowered = Math.min(MAX_NICE, current + steps);
    if (lowered <= current) return undefined;
    sys.setPriority(tid, lowered);
    return lowered;
  } catch {
    return undefined;
  }
}
