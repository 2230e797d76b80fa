/**
 * Publish: a finished run posted to the admin repository: summary issue, divergence issues,
 * history, the command reply. Renderers (render/) and the summary's Markdown (summary/) have
 * their own faces for the command line.
 */
export { renderCommandReply } from "./command-reply.js";
export { findRunComment, runCommentMarker } from "./issues/comment-marker.js";
export { publishRun } from "./publish-run.js";
export type { PublishResult, PublishTarget } from "./types.js";
