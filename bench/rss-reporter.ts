// Preloaded into measured children (`node --import`): writes the process's peak RSS (KiB) on exit.
// With LICENSE_SYNC_RSS_TRACE set, also appends a line every 100 ms to that file (epoch ms, then
// RSS, heap used, external and array buffers in MiB), to find which step of a run the peak is in.
import { appendFileSync, writeFileSync } from "node:fs";

const file = process.env.LICENSE_SYNC_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));

const trace = process.env.LICENSE_SYNC_RSS_TRACE;
if (trace) {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(trace, `${Date.now()} ${mib(m.rss)} ${mib(m.heapUsed)} ${mib(m.external)} ${mib(m.arrayBuffers)}\n`);
  }, 100).unref();
}
