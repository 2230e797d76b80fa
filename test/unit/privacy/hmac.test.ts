import { createHash, createHmac, randomBytes } from "node:crypto";
import { createKeyedSha256, createPrefixedSha256 } from "../../../src/privacy/hmac.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { seededRandom } from "../../support/seeded-random.js";

/** The reference every key was made with before: one `createHmac` per message. */
const reference = (key: string, message: string, bytes: number) =>
  createHmac("sha256", key).update(message).digest().subarray(0, bytes).toString("base64url");

/** Strings of ASCII, Latin-1, BMP, astral characters and lone surrogates, of any length up to `max`. */
function randomText(next: () => number, max: number): string {
  const length = Math.floor(next() * (max + 1));
  let text = "";
  for (let i = 0; i < length; i++) {
    const kind = next();
    if (kind < 0.6) text += String.fromCharCode(0x20 + Math.floor(next() * 95));
    else if (kind < 0.75) text += String.fromCharCode(0xa0 + Math.floor(next() * 0x60));
    else if (kind < 0.9) text += String.fromCharCode(0x100 + Math.floor(next() * 0xd000));
    else if (kind < 0.97) text += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff));
    else text += String.fromCharCode(0xd800 + Math.floor(next() * 0x800)); // lone surrogate
  }
  return text;
}

describe("createKeyedSha256", () => {
  const keys = [
    "",
    "k",
    randomBytes(32).toString("hex"), // the protector's random default: 64 bytes, exactly one block
    "x".repeat(63),
    "x".repeat(65), // longer than a block: hashed first, as HMAC does
    "clé secrète ✓ 🔑".repeat(9),
  ];

  it.each(keys.map((key) => [key.length, key]))("equals createHmac for a key of %i characters", (_length, key) => {
    const mac = createKeyedSha256(key);
    const next = seededRandom(key.length + 1);
    const messages = [
      "",
      "a",
      "mona@corp.example",
      "jösé@corp.example",
      "用户@例子.广告",
      "😀@corp.example",
      "\ud800",
      "a".repeat(100_000),
      "é".repeat(5000),
    ];
    for (let i = 0; i < 2000; i++) messages.push(randomText(next, i % 10 === 0 ? 2000 : 80));
    for (const message of messages) {
      for (const bytes of [8, 16, 32]) expect(mac(message, bytes)).toBe(reference(key, message, bytes));
    }
  });

  it("gives the same digest after a long message grew its buffer", () => {
    const mac = createKeyedSha256("secret");
    const short = mac("mona@corp.example", 16);
    mac("ü".repeat(50_000), 16);
    expect(mac("mona@corp.example", 16)).toBe(short);
  });
});

describe("createEmailProtector keys", () => {
  it("are the truncated HMAC-SHA-256 of the normalized email", () => {
    const protector = createEmailProtector({ secret: "s3cret" });
    expect(protector.key(" Mona@Corp.Example ")).toBe(reference("s3cret", "mona@corp.example", 16));
    expect(protector.protect("Mona@Corp.Example")?.key).toBe(reference("s3cret", "mona@corp.example", 16));
  });
});

describe("createEmailProtector, values in any order", () => {
  it("gives each value its own key, repeated or alternating", () => {
    const protector = createEmailProtector({ secret: "s3cret" });
    const fresh = () => createEmailProtector({ secret: "s3cret" });
    const values = [
      "a@corp.example",
      "a@corp.example",
      "b@corp.example",
      "a@corp.example",
      "B@corp.example",
      "a@corp.example",
    ];
    for (const value of values) {
      expect(protector.key(value)).toBe(fresh().key(value));
      expect(protector.handleKey(value)).toBe(fresh().handleKey(value));
      expect(protector.protect(value)?.key).toBe(reference("s3cret", value.toLowerCase(), 16));
    }
    expect(protector.handleKey("mona")).toBe(protector.handleKey("mona@corp.example"));
    // The handle key as it always was: keyed SHA-256 of the token, first 8 bytes.
    const handle = createHash("sha256").update("handle\u0000s3cret\u0000mona").digest().toString("base64url", 0, 8);
    expect(protector.handleKey(" Mona+gh@corp.example")).toBe(handle);
    expect(protector.handleKey("mona")).not.toBe(protector.handleKey("lisa"));
  });
});

describe("createPrefixedSha256", () => {
  it("equals a one-shot SHA-256 of the prefix and the message, whatever the prefix's length", () => {
    const next = seededRandom(5);
    for (const prefixLength of [0, 1, 8, 55, 56, 63, 64, 65, 72, 127, 128, 200]) {
      const prefix = randomText(next, prefixLength).padEnd(prefixLength, "p").slice(0, prefixLength);
      const sha = createPrefixedSha256(prefix);
      const messages = ["", "mona", "x".repeat(47), "x".repeat(48), "y".repeat(200), "jösé", "😀"];
      for (let i = 0; i < 300; i++) messages.push(randomText(next, i % 10 === 0 ? 300 : 60));
      for (const message of messages) {
        const digest = createHash("sha256")
          .update(prefix + message)
          .digest();
        for (const bytes of [1, 2, 3, 8, 16, 31, 32])
          expect(sha(message, bytes)).toBe(digest.toString("base64url", 0, bytes));
      }
    }
  });

  it("keeps a character split between a prefix ending in a high surrogate and the message", () => {
    const sha = createPrefixedSha256("s\ud83d");
    for (const message of ["\ude00", "\ude00tail", "x", "", "\ud83d"]) {
      const digest = createHash("sha256")
        .update("s\ud83d" + message)
        .digest();
      expect(sha(message, 32)).toBe(digest.toString("base64url"));
    }
  });
});
