import { generateKeyPairSync, randomBytes } from "node:crypto";

/**
 * A throwaway GitHub App identity for the embedded environment: an RSA private key (Probot signs
 * its JWTs with it; the simulator checks issuer and expiry only) and a webhook secret.
 *
 * @example const { privateKey, webhookSecret } = throwawayAppIdentity();
 */
export function throwawayAppIdentity(): { privateKey: string; webhookSecret: string } {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKey, webhookSecret: randomBytes(24).toString("hex") };
}
