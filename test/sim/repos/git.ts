import { createHash } from "node:crypto";
import type { Blob, Commit } from "./model.js";

const sha1 = (data: string | Buffer): string => createHash("sha1").update(data).digest("hex");

/** Git's blob id, so shas agree with `git hash-object` and tests can compute them. */
export function blobOf(content: Buffer): Blob {
  return { content, sha: sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content])) };
}

/** A commit on top of `parent` with the tree changed by `changes` (null deletes a path). */
export function makeCommit(
  parent: Commit | null,
  changes: Map<string, Buffer | null>,
  message: string,
  author: { name: string; email: string },
  date: number,
): Commit {
  const tree = new Map(parent?.tree ?? []);
  for (const [path, content] of changes) {
    if (content === null) tree.delete(path);
    else tree.set(path, blobOf(content));
  }
  const treeSha = sha1(
    [...tree.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, b]) => `${p}\0${b.sha}`)
      .join("\n"),
  );
  const sha = sha1(
    `tree ${treeSha}\nparent ${parent?.sha ?? ""}\nauthor ${author.name} <${author.email}> ${date}\n\n${message}`,
  );
  return { sha, treeSha, message, parent: parent?.sha ?? null, tree, author, date };
}

/** GitHub's base64 layout for file content: 60 characters per line, each ending in "\n". */
export function base64Lines(content: Buffer): string {
  const encoded = content.toString("base64");
  let out = "";
  for (let i = 0; i < encoded.length; i += 60) out += `${encoded.slice(i, i + 60)}\n`;
  return out;
}
