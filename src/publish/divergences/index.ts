/**
 * Divergences as people read them: the sentence of each kind from the stage's codes and figures
 * (src/reconcile/divergences), and one issue per divergence kind (and subject) that lives as long
 * as the divergence does.
 */
export {
  divergenceKey,
  openDivergenceIssues,
  reconcileDivergenceIssues,
  type DivergenceIssueOptions,
  type DivergenceOutcome,
} from "./issues.js";
export { divergenceMarkdown, divergenceSummary } from "./sentences.js";
