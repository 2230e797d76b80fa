/**
 * Configuration: zod schemas and parsers of the deployment config (hosts, tokens, limits) and
 * of the repository config `.github/license-sync.yml` (policy only). Parsing only, no I/O.
 */
export {
  type DeploymentConfig,
  isTokenShaped,
  type ServerConfig,
  type TimeoutsConfig,
  timeoutsSchema,
  TOKEN_SHAPE,
  type WebDeploymentConfig,
} from "./deployment.js";
export { isTokenKey, loadDeploymentConfig, loadWebDeploymentConfig } from "./load-deployment.js";
export {
  parseRepositoryConfig,
  parseRepositoryConfigText,
  REPOSITORY_CONFIG_FIX,
  REPOSITORY_CONFIG_PATH,
} from "./load-repository.js";
export { DEFAULT_REPOSITORY_CONFIG, type RepositoryConfig, repositoryConfigSchema } from "./repository.js";
