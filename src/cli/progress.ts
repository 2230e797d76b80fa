import type { CloudProgress, ServerProgress } from "../shared/index.js";

/** What the progress display knows of one source. */
interface SourceState {
  label: string;
  done: number;
  total: number | null;
  unit: string;
  finished: boolean;
}

export interface ProgressDisplay {
  server(hostname: string, progress: ServerProgress): void;
  cloud(progress: CloudProgress): void;
  /** Prints a line (a warning) above the progress block, which is redrawn below it. */
  print(line: string): void;
  finish(): void;
}

function eta(startedMs: number, done: number, total: number | null): string {
  if (!total || done === 0 || done >= total) return "";
  const seconds = (((Date.now() - startedMs) / done) * (total - done)) / 1000;
  return ` ETA ${seconds < 60 ? `${Math.ceil(seconds)}s` : `${Math.ceil(seconds / 60)}m`}`;
}

/**
 * Collection progress on standard error: a redrawn block on a terminal (pages done, accounts read,
 * ETA), a plain line every few seconds otherwise, so CI logs stay readable.
 */
export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5000): ProgressDisplay {
  const started = Date.now();
  const sources = new Map<string, SourceState>();
  const tty = stream.isTTY === true;
  let drawnLines = 0;
  let lastPlain = 0;
  const line = (s: SourceState) =>
    `${s.label.padEnd(28)} ${s.done.toLocaleString("en-US")}${s.total ? `/${s.total.toLocaleString("en-US")}` : ""} ${s.unit}${s.finished ? " done" : eta(started, s.done, s.total)}`;
  const render = (force = false) => {
    if (tty) {
      if (drawnLines > 0) stream.write(`\x1b[${drawnLines}A`);
      const lines = [...sources.values()].map(line);
      stream.write(lines.map((l) => `\x1b[2K${l}\n`).join(""));
      drawnLines = lines.length;
    } else if (force || Date.now() - lastPlain >= intervalMs) {
      lastPlain = Date.now();
      stream.write(`progress: ${[...sources.values()].map(line).join("; ")}\n`);
    }
  };
  const update = (key: string, state: SourceState) => {
    // Counts and totals only grow: collectors may report out of order, and a total that shrank
    // ("2/5" after "1/1") would read as going backwards.
    const previous = sources.get(key);
    if (previous) {
      state.done = Math.max(previous.done, state.done);
      state.total = previous.total === null ? state.total : Math.max(previous.total, state.total ?? 0);
    }
    sources.set(key, state);
    render();
  };
  return {
    server: (hostname, progress) =>
      update(hostname, {
        label: hostname,
        done: progress.accountsRead,
        total: null,
        unit: "accounts",
        finished: false,
      }),
    // "done" only when the collection says so (finish): more pages may follow a moving list.
    cloud: (progress) =>
      update("cloud", {
        label: "GHEC consumed-licenses",
        done: progress.pagesRead,
        total: progress.pages,
        unit: `pages (${progress.rowsRead.toLocaleString("en-US")} rows)`,
        finished: false,
      }),
    print(text) {
      if (tty && drawnLines > 0) {
        // Up over the block, clear it, write the line; the block is redrawn underneath.
        stream.write(`\x1b[${drawnLines}A\x1b[J${text}\n`);
        drawnLines = 0;
        if (sources.size > 0) render();
      } else stream.write(`${text}\n`);
    },
    finish() {
      for (const state of sources.values()) state.finished = true;
      if (sources.size > 0) render(true);
    },
  };
}
