import type { Report } from "../../shared/report.js";

/**
 * The Report JSON contract (docs/architecture.md): `totals`, `servers`, `people`, `divergences`, plus
 * `reasons`. Per-account lists (`matched`, `cloudRows`) stay out: they belong in the CSV.
 */
export function toReportJson(report: Report): object {
  const { totals, servers, people, reasons, divergences } = report;
  return { totals, servers, people, reasons, divergences };
}

const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);

/**
 * The same document as `JSON.stringify(toReportJson(report), null, 2)`, in chunks: the people
 * list of a large enterprise runs to hundreds of megabytes and need not be one string.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  const { people, ...rest } = toReportJson(report) as { people: unknown[] } & Record<string, unknown>;
  yield "{\n";
  const keys = ["totals", "servers", "people", "reasons", "divergences"];
  for (const [i, key] of keys.entries()) {
    const last = i === keys.length - 1;
    if (key !== "people") {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(rest[key], null, 2), "  ")}${last ? "" : ","}\n`;
      continue;
    }
    if (people.length === 0) {
      yield `  "people": [],\n`;
      continue;
    }
    yield `  "people": [\n`;
    let chunk = "";
    for (const [j, person] of people.entries()) {
      chunk += `    ${indent(JSON.stringify(person, null, 2), "    ")}${j === people.length - 1 ? "" : ","}\n`;
      if (chunk.length > 65536) {
        yield chunk;
        chunk = "";
      }
    }
    yield `${chunk}  ],\n`;
  }
  yield "}\n";
}

/** Pretty JSON text with a trailing newline. */
export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join("");
}
