import { createHash } from "node:crypto";
import { compressBlock, SHA256_INITIAL_STATE } from "../../../src/privacy/sha256.js";
import { seededRandom } from "../../support/seeded-random.js";

/** A whole SHA-256 over the block function alone: pads `message` and hashes every block. */
function sha256Hex(message: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil((message.length + 9) / 64) * 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor((message.length * 8) / 0x100000000));
  view.setUint32(padded.length - 4, (message.length * 8) >>> 0);
  const state = Int32Array.from(SHA256_INITIAL_STATE);
  const words = new Int32Array(16);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) words[i] = view.getInt32(offset + i * 4);
    compressBlock(state, words);
  }
  return Array.from(state, (word) => (word >>> 0).toString(16).padStart(8, "0")).join("");
}

describe("compressBlock", () => {
  it("gives the FIPS 180-4 digests of the standard examples", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    expect(sha256Hex(utf8("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex(utf8(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("equals node:crypto for every length across the block and padding boundaries", () => {
    const next = seededRandom(7);
    for (let length = 0; length <= 300; length++) {
      const message = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      expect(sha256Hex(message)).toBe(createHash("sha256").update(message).digest("hex"));
    }
  });

  it("reads the block's words without writing them, so a caller may hash the same words again", () => {
    const words = Int32Array.from({ length: 16 }, (_, i) => i * 0x01010101);
    const before = Array.from(words);
    const first = Int32Array.from(SHA256_INITIAL_STATE);
    compressBlock(first, words);
    expect(Array.from(words)).toEqual(before);
    const second = Int32Array.from(SHA256_INITIAL_STATE);
    compressBlock(second, words);
    expect(Array.from(second)).toEqual(Array.from(first));
  });
});
