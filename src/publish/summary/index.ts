/**
 * The weekly summary's Markdown, for publish and for `license-sync report --format markdown`. Its
 * own face so that the command line renders it without loading Octokit.
 */
export { renderSummaryMarkdown } from "./markdown.js";
