/**
 * Reconcile: the unique-user engine (pure, no I/O) and the divergence stage, returning codes
 * and figures that publish renders.
 */
export { detectDivergences, DIVERGENCE_KINDS } from "./divergences/index.js";
export { startReconciliation } from "./reconcile.js";
