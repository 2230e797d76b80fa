import type { Divergence, Report, ServerOnlyPerson } from "../../shared/index.js";
import { divergenceSummary } from "../divergences/sentences.js";
import { diagnosisFix } from "./diagnosis-fix.js";

/** A server-only person as the contract shows it: the engine's codes, and the fix written out. */
function personJson(person: ServerOnlyPerson): object {
  const { doubleCountLikelihood, unverifiedDomain: _domain, ...facts } = person;
  return { ...facts, fix: diagnosisFix(person), doubleCountLikelihood };
}

/** A divergence as the contract shows it: its sentence (`summary`) beside the codes and figures. */
function divergenceJson(divergence: Divergence): object {
  const { kind, severity, figures, subject } = divergence;
  return { kind, severity, summary: divergenceSummary(divergence), figures, ...(subject ? { subject } : {}) };
}

/**
 * The Report JSON contract (docs/architecture.md): `totals`, `servers`, `people`, `divergences`, plus
 * `reasons`. Per-account lists (`matched`, `cloudRows`) stay out: they belong in the CSV. Sentences
 * (`people[].fix`, `divergences[].summary`) are written here from the engine's codes and figures.
 */
export function toReportJson(report: Report): object {
  const { totals, servers, people, reasons, divergences } = report;
  return { totals, servers, people: people.map(personJson), reasons, divergences: divergences.map(divergenceJson) };
}

const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);

/**
 * The same document as `JSON.stringify(toReportJson(report), null, 2)`, in chunks: the people
 * list of a large enterprise runs to hundreds of megabytes and need not be one string.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  // People are written one by one below, so the list is never mapped whole.
  const rest = toReportJson({ ...report, people: [] }) as Record<string, unknown>;
  yield "{\n";
  const keys = ["totals", "servers", "people", "reasons", "divergences"];
  for (const [i, key] of keys.entries()) {
    const last = i === keys.length - 1;
    if (key !== "people") {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(rest[key], null, 2), "  ")}${last ? "" : ","}\n`;
      continue;
    }
    const { people } = report;
    if (people.length === 0) {
      yield `  "people": [],\n`;
      continue;
    }
    yield `  "people": [\n`;
    let chunk = "";
    for (const [j, person] of people.entries()) {
      chunk += `    ${indent(JSON.stringify(personJson(person), null, 2), "    ")}${j === people.length - 1 ? "" : ","}\n`;
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
