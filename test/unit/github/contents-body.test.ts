import { describe, expect, it } from "@jest/globals";
import { ContentsBody } from "../../../src/github/contents-body.js";
import { maskEmails } from "../../../src/privacy/email-guard.js";

/** One slice of the file as the body writes it (3 * 256 KiB). */
const SLICE = 3 * 256 * 1024;

async function sent(body: ContentsBody): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of body) pieces.push(piece);
  return Buffer.concat(pieces);
}

/** Bytes that are not text: every value, so base64 padding and slice joins are all exercised. */
function bytesOf(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7919 + (i >> 8)) & 0xff;
  return bytes;
}

describe("ContentsBody", () => {
  it.each([0, 1, 2, 3, 4, SLICE - 1, SLICE, SLICE + 1, SLICE + 2, 2 * SLICE + 2])(
    "is the JSON the contents API takes, with its exact length, for a file of %i bytes",
    async (size) => {
      const file = bytesOf(size);
      const body = new ContentsBody(
        { message: "usage 2026-W48", sha: "3d21ec53a331a6f037a91c368710b99387d012c1" },
        file,
      );
      const bytes = await sent(body);
      expect(bytes.length).toBe(body.length);
      expect(JSON.parse(bytes.toString("utf8"))).toEqual({
        message: "usage 2026-W48",
        sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
        content: file.toString("base64"),
      });
    },
  );

  it("leaves the sha out for a new file and escapes the message (quotes, line breaks, non-ASCII)", async () => {
    const message = 'usage "W48"\nfor Zoë \\ \u2028 team';
    const body = new ContentsBody({ message }, Buffer.from("a,b\n"));
    const bytes = await sent(body);
    expect(bytes.length).toBe(body.length);
    expect(JSON.parse(bytes.toString("utf8"))).toEqual({ message, content: Buffer.from("a,b\n").toString("base64") });
  });

  it("can be sent again whole (a retried request)", async () => {
    const body = new ContentsBody({ message: "m" }, bytesOf(SLICE + 5));
    const first = await sent(body);
    expect((await sent(body)).equals(first)).toBe(true);
  });

  describe("guardedBy", () => {
    it("masks addresses in the message and in the file, next to every slice boundary, and keeps the length right", async () => {
      // Lines of 100 bytes, an address at the end of the line that crosses each slice boundary.
      const lines: string[] = [];
      for (let i = 0; i < (2 * SLICE + 500) / 100; i++) lines.push(`${String(i).padStart(10, "0")},${"x".repeat(88)}`);
      for (const boundary of [SLICE, 2 * SLICE]) {
        const line = Math.floor(boundary / 100);
        lines[line] = `${String(line).padStart(10, "0")},person${line}@corp.example`.padEnd(99, " ");
      }
      const file = Buffer.from(lines.join("\n") + "\n");
      const guarded = new ContentsBody({ message: "by mona@corp.example" }, file).guardedBy(maskEmails);
      const bytes = await sent(guarded);
      expect(bytes.length).toBe(guarded.length);
      const { message, content } = JSON.parse(bytes.toString("utf8")) as { message: string; content: string };
      expect(message).toBe("by m***@corp.example");
      const text = Buffer.from(content, "base64").toString("utf8");
      expect(text).toBe(maskEmails(file.toString("utf8")));
      expect(text).not.toMatch(/person\d+@/);
      expect(text).toContain(`p***@corp.example`);
    });

    it("masks an address on a line longer than a slice, and keeps a file with none as the same bytes", async () => {
      const long = Buffer.from(`${"y".repeat(SLICE + 10)} leaky@corp.example\nlast\n`);
      const text = Buffer.from(
        JSON.parse((await sent(new ContentsBody({ message: "m" }, long).guardedBy(maskEmails))).toString()).content,
        "base64",
      ).toString("utf8");
      expect(text).toBe(`${"y".repeat(SLICE + 10)} l***@corp.example\nlast\n`);
      const clean = Buffer.from("id,hosts\n1,ghes-1\n".repeat(100_000));
      expect(new ContentsBody({ message: "m" }, clean).guardedBy(maskEmails).file).toBe(clean);
    });
  });
});
