import { Readable } from "node:stream";
import { streamJson } from "../../../../src/collect/readers/json-stream.js";

// The streaming parser's own messages quote the token it stopped on: a value, maybe an email.
describe("streamJson errors", () => {
  const parse = (text: string) =>
    streamJson(Readable.from([Buffer.from(text)]), "usage.json", { paths: ["$.accounts.*"], onValue: () => undefined });
  it.each([
    ["an email where a comma belongs", '{"accounts":[{"email":"x" "leaky.person@corp.example"}]}'],
    ["an email after a closed document", '{"accounts":[]} "leaky.person@corp.example"'],
    ["an email where a key belongs", '{"accounts":[], leaky.person@corp.example: 1}'],
    ["an email as a bare token", '{"accounts":[leaky.person@corp.example]}'],
  ])("%s: named as not valid JSON, never quoted", async (_name, text) => {
    const error = await parse(text).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringMatching(/^usage\.json: not valid JSON/) });
    expect(error!.message).not.toMatch(/leaky|corp\.example/);
  });
  it("text after the document is refused, in whichever read chunk it comes", async () => {
    for (const chunks of [
      ['{"accounts":[]}', ' {"accounts":[]}'],
      ['{"accounts":[]}\n', "\n", "x"],
      ['{"accounts":[]} x'],
    ]) {
      const reading = streamJson(Readable.from(chunks.map((c) => Buffer.from(c))), "usage.json", {
        paths: ["$.accounts.*"],
        onValue: () => undefined,
      });
      await expect(reading).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^usage\.json: /) });
    }
    const spaces = streamJson(Readable.from([Buffer.from('{"accounts":[]}'), Buffer.from(" \r\n\t")]), "usage.json", {
      paths: ["$.accounts.*"],
      onValue: () => undefined,
    });
    await expect(spaces).resolves.toBe("object");
  });
  it("a cut document says it ends early", async () => {
    await expect(parse('{"accounts":[{"id":1}')).rejects.toMatchObject({
      message: expect.stringMatching(/^usage\.json: .*the document ends early/),
    });
  });
});
