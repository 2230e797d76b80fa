import { codeSpan, type InputError } from "../shared/index.js";
import type { UploadProblem } from "./usage-uploads.js";

/**
 * The commit comment for refused usage files: each file, the field, what is wrong and the fix. The
 * pusher sees it on the commit (and by email), which is the only place a push can be answered.
 *
 * @example
 *   uploadProblemsComment([{ path: "license-usage/uploads/ghes-b.json", where: "accountCount", problem: "expected a number", fix: "Export it again." }])
 */
export function uploadProblemsComment(problems: readonly UploadProblem[]): string {
  // Paths come from the push (git allows backticks and line breaks in them): code spans that cannot be closed early.
  const lines = problems.map(
    (p) => `- ${codeSpan(p.path, 200)}${p.where ? `, field ${codeSpan(p.where)}` : ""}: ${p.problem}. ${p.fix}`,
  );
  return [
    `**license-sync** did not ingest this push: ${problems.length === 1 ? "a usage file is" : `${problems.length} usage files are`} invalid. Nothing was ingested and no run was started.`,
    "",
    ...lines,
    "",
    "Push the corrected file(s) to the default branch to start a run.",
  ].join("\n");
}

/** The commit comment for a push that adds more usage files than there are instances to read them for. */
export function tooManyUploadsComment(files: number, instances: readonly string[]): string {
  const read =
    instances.length === 0
      ? "reads no instance from usage files"
      : `reads ${instances.length} instance${instances.length > 1 ? "s" : ""} from usage files (${instances.map((hostname) => codeSpan(hostname)).join(", ")}): at most one file each`;
  return [
    `**license-sync** did not ingest this push: no file was read, nothing was ingested and no run was started.`,
    "",
    `This push adds ${files} usage files, but the deployment ${read}.`,
    "",
    "Push one file per instance (`license-sync export` writes it), or ask the operator to configure the instance with `usageFile` in the deployment config.",
  ].join("\n");
}

/**
 * The commit comment for a pushed `.github/license-sync.yml` that sets `commands.team`: repository
 * writers can no longer widen who may run commands, so the key is ignored, and said so.
 */
export function ignoredTeamComment(source: string): string {
  return [
    `**license-sync**: \`commands.team\` in \`${source}\` is ignored. This file can only narrow who may run \`/license-sync\` commands (\`commands.allowRepositoryAdmins\`, \`commands.restrictTo\`), never widen it.`,
    "",
    "To let a team (or named users) run commands, ask the operator to set `commands.team` (or `commands.users`) in the deployment config, then delete the key here. The rest of the file was applied.",
  ].join("\n");
}

/** The commit comment for a pushed `.github/license-sync.yml` that does not validate. */
export function configProblemComment(error: InputError): string {
  return [
    `**license-sync**: \`${error.source}\` is invalid${error.where ? ` at ${codeSpan(error.where)}` : ""}: ${error.problem}.`,
    "",
    `${error.fix} Until then the weekly schedule stays as it was, and commands answer with this error.`,
  ].join("\n");
}
