import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import { measureNode, type Measurement } from "./measure.js";
import type { BenchRow } from "./table.js";

const CHILD = fileURLToPath(new URL("./hostile-child.js", import.meta.url));
const MiB = 1024 * 1024;
const POSTS = 5;
const POST_MiB = 30;
const BOMB_MiB = 600;

export interface WebhookFlood {
  mode: "content-length" | "chunked";
  statuses: Array<number | string>;
  /** Peak RSS of the web server over the flood, minus its peak when idle. */
  growthMiB: number;
  peakRssMiB: number;
}

export interface HostileBenchResult {
  idle: Measurement;
  floods: WebhookFlood[];
  bomb: { gzipBytes: number; unpackedMiB: number; refused: string | null; cpuMs: number; peakRssMiB: number };
}

/** Five unsigned 30 MB POSTs at once, declared (`Content-Length`) or chunked. */
function flood(port: number, chunked: boolean): Promise<Array<number | string>> {
  const body = Buffer.alloc(POST_MiB * MiB, 0x20);
  const one = () =>
    new Promise<number | string>((resolve) => {
      const headers: Record<string, string | number> = {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "bench",
        "x-hub-signature-256": "sha256=00",
      };
      if (!chunked) headers["content-length"] = body.length;
      const req = request({ host: "127.0.0.1", port, path: "/api/github/webhooks", method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // A server that answers and closes before the whole body is sent is what the cap is for.
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      if (chunked) for (let i = 0; i < POST_MiB; i++) req.write(body.subarray(i * MiB, (i + 1) * MiB));
      req.end(chunked ? undefined : body);
    });
  return Promise.all(Array.from({ length: POSTS }, one));
}

/** The web server in a child (its own RSS), flooded from this process, then stopped. */
async function webServerUnder(
  chunked: boolean | null,
): Promise<{ measurement: Measurement; statuses: Array<number | string> }> {
  let statuses: Array<number | string> = [];
  const measurement = await measureNode([CHILD, "webhook"], {}, (child) => {
    let out = "";
    child.stdout?.on("data", async (chunk) => {
      out += chunk;
      if (!out.endsWith("\n")) return;
      if (chunked !== null) statuses = await flood(Number(out.trim()), chunked);
      child.kill("SIGTERM");
    });
  });
  return { measurement, statuses };
}

/** A gzip of a usage-file header whose `server.version` is 600 MB of digits: 611 KB, as in issue 9. */
async function writeBomb(file: string): Promise<void> {
  const pad = Buffer.alloc(MiB, 0x39);
  async function* text() {
    yield Buffer.from(
      '{"format":"license-sync/usage-file","version":1,"server":{"hostname":"ghes-b.corp.example","version":"',
    );
    for (let i = 0; i < BOMB_MiB; i++) yield pad;
    yield Buffer.from('"}}');
  }
  await pipeline(Readable.from(text()), createGzip({ level: 9 }), createWriteStream(file));
}

/**
 * Issue 9's hostile inputs, measured where memory is the point: the web process under five
 * unsigned 30 MB webhook POSTs, and the push check of a usage-file gzip bomb.
 */
export async function hostileBench(): Promise<HostileBenchResult> {
  const idle = (await webServerUnder(null)).measurement;
  const floods: WebhookFlood[] = [];
  for (const chunked of [false, true]) {
    const { measurement, statuses } = await webServerUnder(chunked);
    floods.push({
      mode: chunked ? "chunked" : "content-length",
      statuses,
      peakRssMiB: measurement.peakRssMiB,
      growthMiB: measurement.peakRssMiB - idle.peakRssMiB,
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-bomb-"));
  const file = path.join(dir, "bomb.json.gz");
  await writeBomb(file);
  let stdout = "";
  const measured = await measureNode([CHILD, "usage-upload", file], {}, (child) =>
    child.stdout?.on("data", (chunk) => (stdout += chunk)),
  );
  if (measured.exitCode !== 0) throw new Error(`usage-upload child failed: ${measured.stderr}`);
  const verdict = JSON.parse(stdout) as { refused: string | null; cpuMs: number };
  const bomb = { gzipBytes: statSync(file).size, unpackedMiB: BOMB_MiB, ...verdict, peakRssMiB: measured.peakRssMiB };
  rmSync(dir, { recursive: true, force: true });
  return { idle, floods, bomb };
}

/** The hostile measures as rows of the one benchmark table (peak RSS is the point of each limit). */
export function hostileRows(result: HostileBenchResult): BenchRow[] {
  const mib = (value: number) => `${Math.round(value)} MiB`;
  return [
    ...result.floods.map((f) => ({
      measure: `web server: ${POSTS} unsigned ${POST_MiB} MB webhook POSTs at once, ${f.mode === "chunked" ? "chunked" : "Content-Length"}`,
      project: `${f.growthMiB >= 0 ? "+" : ""}${mib(f.growthMiB)} over idle (peak ${mib(f.peakRssMiB)}); answers ${[...new Set(f.statuses)].join(", ")}`,
      goal: "413, bodies dropped at 25 MB (issue 9)",
    })),
    {
      measure: `push check of a usage-file gzip bomb (${Math.round(result.bomb.gzipBytes / 1024)} KB -> ${result.bomb.unpackedMiB} MB)`,
      project: `${result.bomb.refused ? "refused" : "accepted"} in ${Math.round(result.bomb.cpuMs)} ms CPU, peak ${mib(result.bomb.peakRssMiB)}`,
      goal: "refused, memory flat",
      met: result.bomb.refused !== null,
    },
  ];
}
