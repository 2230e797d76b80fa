import { cell, codeSpan, type Divergence, type DivergenceKind } from "../../shared/index.js";

/**
 * The sentences of each divergence kind, from the stage's codes and figures
 * (src/reconcile/divergences). A sentence is text with the data in it as it is, and code: a value
 * GitHub spells as a token (a sync status). Each medium renders it whole: plain text (JSON, history,
 * `printable` on a terminal) fences code in backticks; Markdown escapes the text and makes code an
 * inert code span, since escaping backticks would show them instead of formatting.
 */

/** A piece of a sentence: text (the app's words and data), or a token shown as code. */
type Part = string | { code: string };
type Sentence = Part[];

const figure = (d: Divergence, key: string): number | string => d.figures[key] ?? "";
const count = (d: Divergence, key: string): number => Number(d.figures[key] ?? 0);
const context = (d: Divergence, key: string): number | null => d.context?.[key] ?? null;
const reasons = (d: Divergence): string[] => String(d.figures.reason ?? "").split("+");
const subject = (d: Divergence): string => d.subject ?? "";

function overConsumed(d: Divergence): string {
  const purchased = count(d, "purchased");
  const over = count(d, "over");
  return `${purchased + over} seats consumed but only ${purchased} purchased (${over} over). GitHub reports ${count(d, "consumedReported")}; this run counts ${count(d, "uniqueUsers")} unique users.`;
}

function nearLimit(d: Divergence): string {
  const warning = Math.round((context(d, "utilizationWarning") ?? 0) * 100);
  return `${count(d, "consumed")} of ${count(d, "purchased")} seats in use (${figure(d, "utilizationPercent")}%), at or above the ${warning}% warning threshold; ${count(d, "available")} left.`;
}

function uniqueCountMismatch(d: Divergence): string {
  const difference = count(d, "difference");
  const serverOnly = count(d, "serverOnlyUsers");
  const replaced = count(d, "replacedCloudRows");
  const sentence = `This run counts ${count(d, "uniqueUsers")} unique users, ${Math.abs(difference)} ${difference > 0 ? "more" : "fewer"} than GitHub's ${count(d, "consumedReported")}. ${serverOnly === 1 ? "1 server person" : `${serverOnly} server persons`} merged with no cloud account and ${replaced === 1 ? "1 stale server-only row was" : `${replaced} stale server-only rows were`} replaced by fresh server data.`;
  // The stage adds `reason.<reason>` figures most frequent first; their order is the sentence's.
  const byReason = Object.entries(d.figures)
    .filter(([key]) => key.startsWith("reason."))
    .map(([key, value]) => `${value} ${key.slice("reason.".length)}`);
  return byReason.length === 0 ? sentence : `${sentence} Server-only persons by reason: ${byReason.join(", ")}.`;
}

function staleSync(d: Divergence): Sentence {
  const host = subject(d);
  const codes = reasons(d);
  const error = figure(d, "error");
  const sentences: Sentence[] = [];
  if (codes.includes("missing"))
    sentences.push([
      `${host} was collected in this run, but GitHub's license-sync-status does not list it: GitHub has never received its license usage.`,
    ]);
  if (codes.includes("never")) sentences.push([`GitHub lists ${host} but it has never synced.`]);
  if (codes.includes("stale"))
    sentences.push([
      `${host} last synced on ${figure(d, "lastSync")} (${context(d, "ageDays")} days before this run; the limit is ${context(d, "staleSyncDays")} days), so GitHub's count of its users is out of date.`,
    ]);
  if (codes.includes("failed"))
    sentences.push([
      `The last sync of ${host} did not succeed (status `,
      { code: String(figure(d, "status")) },
      `)${error ? `: ${error}` : "."}`,
    ]);
  if (figure(d, "collected") === "no")
    sentences.push(["This run did not collect the instance, so GitHub's rows for it are counted as they are."]);
  return sentences.flatMap((sentence, i) => (i === 0 ? sentence : [" ", ...sentence]));
}

function serverCountMismatch(d: Divergence): string {
  const difference = count(d, "difference");
  const ghes = count(d, "ghesSeatsUsedDifference");
  return (
    `${subject(d)} has ${count(d, "billableAccounts")} billable accounts (${count(d, "persons")} persons) in this run; GitHub's consumed-licenses list names it in ${count(d, "githubRows")} rows, ${Math.abs(difference)} ${difference > 0 ? "fewer" : "more"} (tolerance ${context(d, "serverCountTolerance")}).` +
    (ghes ? ` GHES's own seats_used differs from this run's billable count by ${ghes}.` : "")
  );
}

function licenseExpiring(d: Divergence): string {
  const host = subject(d);
  const codes = reasons(d);
  const days = context(d, "daysLeft");
  const expiresOn = figure(d, "expiresOn");
  const sentences: string[] = [];
  if (codes.includes("expiring")) {
    const warning = `warning from ${context(d, "licenseExpiryDays")} days`;
    // Without an expiry date GHES gives only the days left (`context.daysLeft`; `expiresOn` is no date).
    const dated = /^\d{4}-\d{2}-\d{2}$/.test(String(expiresOn));
    if (days !== null && days < 0)
      sentences.push(
        dated
          ? `The GHES license of ${host} expired on ${expiresOn}.`
          : `The GHES license of ${host} expired ${-days} days ago.`,
      );
    else if (dated)
      sentences.push(`The GHES license of ${host} expires on ${expiresOn} (${days} days left; ${warning}).`);
    else sentences.push(`The GHES license of ${host} expires in ${days} days (${warning}).`);
  }
  if (codes.includes("seats"))
    sentences.push(
      `It carries ${figure(d, "seats")} seats while the GHEC enterprise has ${figure(d, "purchased")} purchased: upload the current license file to the instance.`,
    );
  return sentences.join(" ");
}

/** Sentences of text only: one part. */
const text =
  (write: (d: Divergence) => string) =>
  (d: Divergence): Sentence => [write(d)];

const SENTENCES: Record<DivergenceKind, (d: Divergence) => Sentence> = {
  "over-consumed": text(overConsumed),
  "near-limit": text(nearLimit),
  "unique-count-mismatch": text(uniqueCountMismatch),
  "stale-sync": staleSync,
  "server-count-mismatch": text(serverCountMismatch),
  "license-expiring": text(licenseExpiring),
};

/**
 * What a divergence means, in one paragraph of plain text (not yet escaped for any medium; code
 * in backticks as it is).
 *
 * @example divergenceSummary({ kind: "over-consumed", severity: "critical", figures: { purchased: 100, consumedReported: 103, uniqueUsers: 101, over: 3 } })
 *   // "103 seats consumed but only 100 purchased (3 over). GitHub reports 103; this run counts 101 unique users."
 */
export function divergenceSummary(divergence: Divergence): string {
  return SENTENCES[divergence.kind](divergence)
    .map((part) => (typeof part === "string" ? part : `\`${part.code}\``))
    .join("");
}

/**
 * The same paragraph as inert Markdown for one line (issue bodies, the summary): text escaped
 * (`cell`), code as one code span (`codeSpan`) that nothing inside can close.
 *
 * @example divergenceMarkdown(staleSync) // "The last sync of ghes-a did not succeed (status `failed`)."
 */
export function divergenceMarkdown(divergence: Divergence): string {
  return SENTENCES[divergence.kind](divergence)
    .map((part) => (typeof part !== "string" ? codeSpan(part.code) : part === "" ? "" : cell(part)))
    .join("");
}
