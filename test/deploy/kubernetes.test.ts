/**
 * deploy/kubernetes: every manifest is valid against the Kubernetes API schema (kubernetes-models,
 * generated from the OpenAPI of Kubernetes itself), and the pieces fit together: selectors find
 * their pods, every secret file a process is told about is mounted, the config parses.
 * No cluster runs here; this is the schema check the deployment docs promise.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { loadDeploymentConfig } from "../../src/config/load-deployment.js";
import { ROOT } from "../support/cli.js";

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: {
    name: string;
    secret?: { secretName: string; items?: { key: string; path: string }[] };
    configMap?: { name: string };
  }[];
}
interface Workload extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

const DIR = path.join(ROOT, "deploy/kubernetes");
const manifests: Manifest[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(DIR, file), "utf8")).map((doc) => {
      expect(doc.errors).toEqual([]);
      return { ...(doc.toJS() as Manifest), file };
    }),
  );
const byKind = <T extends Manifest>(kind: string) => manifests.filter((m) => m.kind === kind) as T[];
const workloads = [...byKind<Workload>("Deployment"), ...byKind<Workload>("StatefulSet")];

/** The generated model class of an object, e.g. `apps/v1` `Deployment` -> kubernetes-models/apps/v1/Deployment. */
async function modelOf(m: Manifest) {
  const module = (await import(`kubernetes-models/${m.apiVersion}/${m.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = module[m.kind];
  if (!Model) throw new Error(`${m.file}: no Kubernetes model for ${m.apiVersion} ${m.kind}`);
  return Model;
}

test("the manifests cover what a deployment needs", () => {
  expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
    [
      "ConfigMap/license-sync-config",
      "Deployment/license-sync-web",
      "Deployment/license-sync-worker",
      "Ingress/license-sync",
      "Secret/license-sync-secrets",
      "Service/license-sync-redis",
      "Service/license-sync-web",
      "StatefulSet/license-sync-redis",
    ].sort(),
  );
});

test.each(manifests.map((m) => [`${m.file}: ${m.kind}/${m.metadata.name}`, m] as const))(
  "%s is valid against the Kubernetes schema",
  async (_name, manifest) => {
    const { file: _file, ...object } = manifest;
    const Model = await modelOf(manifest);
    expect(() => new Model(object).validate()).not.toThrow();
  },
);

test("the schema check rejects a broken manifest (so the check above can fail)", async () => {
  const web = byKind<Workload>("Deployment").find((d) => d.metadata.name === "license-sync-web")!;
  const { file: _file, ...object } = web;
  const broken = structuredClone(object) as Workload;
  (broken.spec.template.spec.containers[0] as unknown as { ports: unknown }).ports = [{ containerPort: "http" }];
  const Model = await modelOf(web);
  expect(() => new Model(broken).validate()).toThrow(/containerPort/);
});

test("every workload's selector matches its own pods, and every Service finds a workload", () => {
  for (const w of workloads) expect(w.spec.template.metadata.labels).toMatchObject(w.spec.selector.matchLabels);
  for (const service of byKind<Manifest & { spec: { selector: Record<string, string> } }>("Service")) {
    const found = workloads.filter((w) =>
      Object.entries(service.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v),
    );
    expect(found.map((w) => w.metadata.name)).toHaveLength(1);
  }
});

test("every *_FILE variable and key path points into a mounted secret item that the Secret has", () => {
  const secret = byKind<Manifest & { stringData: Record<string, string> }>("Secret")[0]!;
  for (const w of workloads) {
    const { containers, volumes = [] } = w.spec.template.spec;
    const claims = (
      (w.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? []
    ).map((c) => c.metadata.name);
    for (const container of containers) {
      const files = new Map<string, string>();
      for (const mount of container.volumeMounts ?? []) {
        if (claims.includes(mount.name)) continue;
        const volume = volumes.find((v) => v.name === mount.name);
        expect(volume).toBeDefined();
        for (const item of volume!.secret?.items ?? []) {
          expect(Object.keys(secret.stringData)).toContain(item.key);
          files.set(`${mount.mountPath}/${item.path}`, item.key);
        }
        if (volume!.configMap)
          expect(byKind("ConfigMap").map((c) => c.metadata.name)).toContain(volume!.configMap.name);
      }
      for (const variable of container.env ?? []) {
        if (variable.name.endsWith("_FILE") || variable.name === "PRIVATE_KEY_PATH")
          expect([variable.name, files.has(variable.value!)]).toEqual([variable.name, true]);
      }
    }
  }
});

test("the web pods hold no GitHub or GHES token; the workers hold every token the config names", () => {
  const env = (name: string) =>
    byKind<Workload>("Deployment")
      .find((d) => d.metadata.name === name)!
      .spec.template.spec.containers[0]!.env!.map((e) => e.name);
  expect(env("license-sync-web").filter((n) => /TOKEN/.test(n))).toEqual([]);
  const config = byKind<Manifest & { data: Record<string, string> }>("ConfigMap")[0]!.data["license-sync.config.yml"]!;
  const referenced = [...config.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
  expect(referenced.length).toBeGreaterThan(0);
  for (const name of referenced) expect(env("license-sync-worker")).toContain(`${name}_FILE`);
});

test("the example deployment config is a valid deployment config", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-k8s-"));
  const file = path.join(dir, "license-sync.config.yml");
  writeFileSync(
    file,
    byKind<Manifest & { data: Record<string, string> }>("ConfigMap")[0]!.data["license-sync.config.yml"]!,
  );
  const config = await loadDeploymentConfig(file, { GHEC_TOKEN: "ghp_x", GHES_A_TOKEN: "ghp_y" });
  expect(config).toMatchObject({ enterprise: "acme", adminRepository: "acme/license-admin" });
});

test("Redis keeps queued jobs: a password, a memory limit and noeviction", () => {
  const redis = byKind<Workload>("StatefulSet")[0]!;
  const script = (redis.spec.template.spec.containers[0] as unknown as { command: string[] }).command.join(" ");
  expect(script).toMatch(/--maxmemory \d+[mg]b/);
  expect(script).toContain("--maxmemory-policy noeviction");
  expect(script).toMatch(/requirepass \$\(cat \/run\/secrets\/license-sync\/redis_password\)/);
});
