/**
 * Divergences as people read them: the sentence of each kind from the stage's codes and figures
 * (src/reconcile/divergences), and one issue per divergence kind (and subject) that lives as long
 * as the divergence does.
 *
 * The rendering rooms (src/publish/render, src/publish/summary) import ./sentences.js directly:
 * this index also carries the issue lifecycle, which writes through the GitHub client and would
 * load Octokit into the command line's `report`.
 */
export {
  divergenceKey,
  openDivergenceIssues,
  reconcileDivergenceIssues,
  type DivergenceIssueOptions,
  type DivergenceOutcome,
} from "./issues.js";
export { divergenceMarkdown, divergenceSummary } from "./sentences.js";
