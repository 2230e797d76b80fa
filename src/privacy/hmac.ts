import { hash } from "node:crypto";
import { compressBlock, SHA256_INITIAL_STATE } from "./sha256.js";

const BLOCK = 64;

/**
 * HMAC-SHA-256 with one fixed key, for keying millions of emails: the same digest as
 * `createHmac("sha256", key).update(message).digest()` (RFC 2104: H((K ^ opad) || H((K ^ ipad) || m))).
 * The states after the key blocks `K ^ ipad` and `K ^ opad` are computed once, so an email of up
 * to 55 bytes costs two block functions instead of four, in JavaScript, with no Buffer, no native
 * call and no digest string (two one-shot `crypto.hash` calls over blocks padded once were the
 * fastest native form, 2x a `createHmac` per message; `Hash.copy()` of a keyed state was slower).
 * Returns the first `bytes` (at most 32) bytes as base64url.
 *
 * Not reentrant-safe across threads (it reuses its buffers); each protector owns one.
 *
 * @example
 *   const mac = createKeyedSha256(secret);
 *   mac("mona@corp.example", 16) // === createHmac("sha256", secret).update("mona@corp.example").digest().subarray(0, 16).toString("base64url")
 */
export function createKeyedSha256(key: string): (message: string, bytes: number) => string {
  let k: Buffer = Buffer.from(key, "utf8");
  if (k.length > BLOCK) k = hash("sha256", k, "buffer") as Buffer;
  const inner = createPrefixedState(keyBlock(k, 0x36));
  const outerStart = stateAfterWholeBlocks(keyBlock(k, 0x5c));
  const state = new Int32Array(8);
  const words = new Int32Array(16);
  return (message, size) => {
    // 1. The inner hash, from the state after K ^ ipad.
    const innerDigest = inner(message);
    // 2. The outer hash, from the state after K ^ opad: one block, the inner digest padded.
    for (let i = 0; i < 8; i++) words[i] = innerDigest[i]!;
    words[8] = 0x80000000 | 0;
    words.fill(0, 9, 15);
    words[15] = (BLOCK + 32) * 8;
    state.set(outerStart);
    compressBlock(state, words);
    return base64urlOfState(state, size);
  };
}

/**
 * SHA-256 of a fixed prefix followed by each message: `hash("sha256", prefix + message)`, from
 * the state saved after the prefix's whole blocks, for keys of a secret and a short text.
 * Returns the first `bytes` (at most 32) bytes as base64url. Not reentrant-safe, as above.
 *
 * @example createPrefixedSha256("handle\u0000secret\u0000")("mona", 8) // === createHash("sha256").update("handle\u0000secret\u0000mona").digest().toString("base64url", 0, 8)
 */
export function createPrefixedSha256(prefix: string): (message: string, bytes: number) => string {
  // A prefix ending in a high surrogate would pair with a message starting with a low one in
  // `prefix + message`: that character goes in front of every message instead.
  const last = prefix.charCodeAt(prefix.length - 1);
  const carried = last >= 0xd800 && last <= 0xdbff ? prefix.slice(-1) : "";
  const digestOf = createPrefixedState(Buffer.from(prefix.slice(0, prefix.length - carried.length), "utf8"));
  return carried === ""
    ? (message, size) => base64urlOfState(digestOf(message), size)
    : (message, size) => base64urlOfState(digestOf(carried + message), size);
}

/** The key padded to a block with zeros and XORed with `pad` (HMAC's K ^ ipad, K ^ opad). */
function keyBlock(key: Uint8Array, pad: number): Uint8Array {
  const block = new Uint8Array(BLOCK).fill(pad);
  for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
  return block;
}

/**
 * A function from a message to the SHA-256 state words of `prefix || message`, hashed from the
 * state after the prefix's whole blocks (computed here, once) and the prefix's last partial block.
 * The array it returns is reused by the next call.
 */
function createPrefixedState(prefix: Uint8Array): (message: string) => Int32Array {
  const wholeBytes = prefix.length - (prefix.length % BLOCK);
  const start = stateAfterWholeBlocks(prefix);
  const state = new Int32Array(8);
  const words = new Int32Array(16);
  const rest = prefix.slice(wholeBytes);
  // The rest of the prefix as block words, packed once: a short message is ORed in after it.
  const restWords = new Int32Array(16);
  for (let i = 0; i < rest.length; i++) restWords[i >> 2] = restWords[i >> 2]! | (rest[i]! << (24 - 8 * (i & 3)));
  // The rest of the prefix, the message's UTF-8 bytes and their padding; grown for a long message.
  let bytes = new Uint8Array(256);
  return (message) => {
    state.set(start);
    if (!hashShortAscii(state, words, restWords, rest.length, message, wholeBytes)) {
      // Longer than a block or not ASCII: as UTF-8 bytes (lone surrogates become U+FFFD, as in node:crypto).
      const length = rest.length + Buffer.byteLength(message, "utf8");
      if (length + BLOCK + 9 > bytes.length) bytes = new Uint8Array(length + 2 * BLOCK);
      bytes.set(rest);
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).write(message, rest.length, "utf8");
      hashPaddedTail(state, words, bytes, length, wholeBytes + length);
    }
    return state;
  };
}

/** The SHA-256 state after the whole 64-byte blocks of `prefix` (a partial last block is left out). */
function stateAfterWholeBlocks(prefix: Uint8Array): Int32Array {
  const state = Int32Array.from(SHA256_INITIAL_STATE);
  const words = new Int32Array(16);
  for (let offset = 0; offset + BLOCK <= prefix.length; offset += BLOCK) {
    for (let i = 0; i < 16; i++) words[i] = readWord(prefix, offset + i * 4);
    compressBlock(state, words);
  }
  return state;
}

/**
 * The common case, an ASCII message that fits one block with the prefix's rest and the padding,
 * written straight into the block's words after the rest's (`restWords`, `restLength` bytes);
 * false, with nothing hashed, for any other message.
 */
function hashShortAscii(
  state: Int32Array,
  words: Int32Array,
  restWords: Int32Array,
  restLength: number,
  message: string,
  hashedBytes: number,
): boolean {
  const length = restLength + message.length;
  if (length > BLOCK - 9) return false;
  words.set(restWords);
  for (let i = restLength; i < length; i++) {
    const code = message.charCodeAt(i - restLength);
    if (code > 0x7f) return false;
    words[i >> 2] = words[i >> 2]! | (code << (24 - 8 * (i & 3)));
  }
  words[length >> 2] = words[length >> 2]! | (0x80 << (24 - 8 * (length & 3)));
  words[15] = (hashedBytes + length) * 8;
  compressBlock(state, words);
  return true;
}

/**
 * Hashes `bytes[0, length)` as the end of a message of `total` bytes: pads it in place (0x80,
 * zeros, the 64-bit bit length) and runs the block function over each block.
 */
function hashPaddedTail(state: Int32Array, words: Int32Array, bytes: Uint8Array, length: number, total: number): void {
  const end = Math.ceil((length + 9) / BLOCK) * BLOCK;
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, end - 8);
  const bits = total * 8;
  writeWord(bytes, end - 8, Math.floor(bits / 0x100000000));
  writeWord(bytes, end - 4, bits >>> 0);
  for (let offset = 0; offset < end; offset += BLOCK) {
    for (let i = 0; i < 16; i++) words[i] = readWord(bytes, offset + i * 4);
    compressBlock(state, words);
  }
}

function readWord(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

function writeWord(bytes: Uint8Array, at: number, word: number): void {
  bytes[at] = word >>> 24;
  bytes[at + 1] = (word >>> 16) & 0xff;
  bytes[at + 2] = (word >>> 8) & 0xff;
  bytes[at + 3] = word & 0xff;
}

/** The digest's bytes and the character codes of its base64url form, reused between calls. */
const digest = new Uint8Array(32);
const codes: number[] = new Array<number>(43).fill(0);

/** The base64url form (no padding) of the first `size` bytes of a digest held as 8 state words. */
function base64urlOfState(state: Int32Array, size: number): string {
  // Only the words the first `size` bytes come from.
  for (let i = 0; i * 4 < size; i++) writeWord(digest, i * 4, state[i]!);
  let n = 0;
  let i = 0;
  for (; i + 3 <= size; i += 3) {
    const group = (digest[i]! << 16) | (digest[i + 1]! << 8) | digest[i + 2]!;
    codes[n++] = BASE64URL.charCodeAt(group >>> 18);
    codes[n++] = BASE64URL.charCodeAt((group >>> 12) & 63);
    codes[n++] = BASE64URL.charCodeAt((group >>> 6) & 63);
    codes[n++] = BASE64URL.charCodeAt(group & 63);
  }
  if (i < size) {
    // One or two bytes left: two or three characters, the last keeping only their bits.
    const group = (digest[i]! << 16) | (i + 1 < size ? digest[i + 1]! << 8 : 0);
    codes[n++] = BASE64URL.charCodeAt(group >>> 18);
    codes[n++] = BASE64URL.charCodeAt((group >>> 12) & 63);
    if (i + 1 < size) codes[n++] = BASE64URL.charCodeAt((group >>> 6) & 63);
  }
  const c = codes;
  // One flat string: a slice joined to a character would keep a whole digest string alive behind
  // every key the engine holds (three objects instead of one, about 3x the memory). The two
  // sizes keys use are written out: a character list and a spread call cost 1.4x the instructions.
  // prettier-ignore
  if (n === 22) return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!);
  // prettier-ignore
  if (n === 11) return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!);
  return String.fromCharCode(...c.slice(0, n));
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
