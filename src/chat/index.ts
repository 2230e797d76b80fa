/**
 * Chat commands: `/license-sync now|status|help` comments in the admin repository, parsed,
 * authorized, executed and answered. (The command line's commands are in src/cli/commands/.)
 */
export { authorizeCommenter, commandPolicy } from "./authorize.js";
export { executeCommand } from "./execute.js";
export { parseCommand } from "./parse.js";
export { commandFailedReply, configErrorReply, refusalReply } from "./replies.js";
