import type { DeploymentConfig } from "../config/index.js";

/** The admin repository named by the deployment config, split for Octokit calls. */
export interface AdminRepository {
  owner: string;
  repo: string;
  /** `owner/name` as the deployment config writes it. */
  fullName: string;
}

/**
 * Splits `deployment.adminRepository`. The schema already guarantees `owner/name`.
 *
 * @example
 *   adminRepository({ adminRepository: "acme/license-admin", ... }) // { owner: "acme", repo: "license-admin", fullName: "acme/license-admin" }
 */
export function adminRepository(deployment: Pick<DeploymentConfig, "adminRepository">): AdminRepository {
  const [owner = "", repo = ""] = deployment.adminRepository.split("/");
  return { owner, repo, fullName: deployment.adminRepository };
}

/**
 * True when `fullName` is the admin repository. GitHub treats owner and repository names
 * case-insensitively, and webhook payloads use the canonical spelling, which the operator may not
 * have typed: compare without case.
 *
 * @example
 *   isAdminRepository("Acme/License-Admin", deployment) // true for adminRepository: acme/license-admin
 */
export function isAdminRepository(
  fullName: string | undefined,
  deployment: Pick<DeploymentConfig, "adminRepository">,
): boolean {
  return fullName !== undefined && fullName.toLowerCase() === deployment.adminRepository.toLowerCase();
}

/** True when `login` owns the admin repository (an installation on that account may cover it). */
export function ownsAdminRepository(
  login: string | undefined,
  deployment: Pick<DeploymentConfig, "adminRepository">,
): boolean {
  return login !== undefined && login.toLowerCase() === adminRepository(deployment).owner.toLowerCase();
}
