import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configVariableNames, loadConfig, projectRoot } from '../../lib/config.ts';
import { serviceNodeFlags } from '../../lib/process/serviceNodeFlags.ts';
import { subgraphNames } from '../../subgraphs/index.ts';

/**
 * No cluster runs here, so the manifests are checked against the code instead: every service,
 * port, probe path, variable, secret and file they name must exist and agree.
 */

const folder = join(projectRoot, 'deploy', 'kubernetes');
const services = ['router', ...subgraphNames];
const variables = new Set(configVariableNames());
const defaults = loadConfig({});

interface Container {
  name: string;
  args?: string[];
  command?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string; port: string } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface Resource {
  kind: string;
  metadata: { name: string };
  spec: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string | Record<string, string>>;
    ports?: Array<{ name: string; port: number; targetPort: string }>;
    template?: {
      metadata?: { labels: Record<string, string> };
      spec: { containers: Container[]; volumes?: Array<{ name: string; configMap?: { name: string } }> };
    };
  };
}

const kustomization = parseAllDocuments(readFileSync(join(folder, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as {
  resources: string[];
  configMapGenerator: Array<{ name: string; files: string[] }>;
};
const resources: Resource[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((document) => document.toJS() as Resource),
);
const deployments = resources.filter((resource) => resource.kind === 'Deployment');
const containers = (resource: Resource) => resource.spec.template?.spec.containers ?? [];
const envOf = (container: Container) => Object.fromEntries((container.env ?? []).map((entry) => [entry.name, entry]));

describe('Kubernetes manifests', () => {
  it('list every manifest file in the folder as a kustomize resource', () => {
    const files = readdirSync(folder).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('run each service of the shop once, with the image entry point and its name as argument', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...services].sort());
    for (const deployment of deployments) {
      expect(containers(deployment).map((container) => container.args)).toEqual([[deployment.metadata.name]]);
    }
    expect(readFileSync(join(projectRoot, 'deploy', 'Dockerfile'), 'utf8')).toContain(
      `ENTRYPOINT ${JSON.stringify(['node', ...serviceNodeFlags, 'dist/scripts/serve.js']).replaceAll('","', '", "')}`,
    );
  });

  it('run only scripts that npm run build produces', () => {
    const entryPoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(readFileSync(join(projectRoot, 'deploy', 'Dockerfile'), 'utf8'))![1]!) as string[];
    const commands = [entryPoint, ...resources.flatMap((resource) => containers(resource).flatMap((container) => (container.command ? [container.command] : [])))];
    expect(commands.length).toBeGreaterThan(1);
    for (const [program, ...args] of commands) {
      expect(program).toBe('node');
      const script = args.find((arg) => !arg.startsWith('--'));
      expect(script, 'a compiled script, not TypeScript through a loader').toMatch(/^dist\/.+\.js$/);
      expect(existsSync(join(projectRoot, script!)), script).toBe(true);
    }
  });

  it('set only variables the config reads, and take databases and secrets from a Secret', () => {
    for (const resource of resources) {
      for (const container of containers(resource)) {
        for (const entry of container.env ?? []) {
          expect(variables, `${resource.metadata.name}: ${entry.name}`).toContain(entry.name);
          if (/SECRET|DATABASE_URL/.test(entry.name)) expect(entry.valueFrom?.secretKeyRef?.name).toBe('shop-secrets');
        }
      }
    }
  });

  it('listen where the config says, and point Services and probes at that port', () => {
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      const [container] = containers(deployment);
      const portVariable = `${name.toUpperCase()}_PORT`;
      const configured = Number(envOf(container!)[portVariable]?.value);
      const defaultPort = name === 'router' ? defaults.router.port : defaults.subgraphs[name as (typeof subgraphNames)[number]].port;
      expect(configured, name).toBe(defaultPort);
      expect(container!.ports).toEqual([{ name: 'http', containerPort: configured }]);
      expect(container!.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container!.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(envOf(container!)['HOST']?.value).toBe('0.0.0.0');

      const service = resources.find((resource) => resource.kind === 'Service' && resource.metadata.name === name);
      expect(service?.spec.selector).toEqual(deployment.spec.template?.metadata?.labels);
      expect(deployment.spec.selector?.matchLabels).toEqual(deployment.spec.template?.metadata?.labels);
      expect(service?.spec.ports?.[0]?.targetPort).toBe('http');
    }
  });

  it('reach each subgraph through its Service, in the deployments and in the composed supergraph', () => {
    const servicePorts = Object.fromEntries(
      resources.filter((resource) => resource.kind === 'Service').map((resource) => [resource.metadata.name, resource.spec.ports?.[0]?.port]),
    );
    const urls = readFileSync(join(folder, 'subgraphs.env'), 'utf8');
    for (const name of subgraphNames) {
      const url = `http://${name}:${servicePorts[name]}/graphql`;
      expect(urls).toContain(`${name.toUpperCase()}_URL=${url}`);
      const purchases = deployments.find((deployment) => deployment.metadata.name === 'purchases')!;
      if (name !== 'purchases') expect(envOf(containers(purchases)[0]!)[`${name.toUpperCase()}_URL`]?.value).toBe(url);
    }
  });

  it('mount the supergraph that `npm run compose` writes where the router loads it', () => {
    const out = mkdtempSync(join(tmpdir(), 'shop-compose-'));
    try {
      const file = join(out, 'supergraph.graphql');
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/compose.ts', '--env-file', 'deploy/kubernetes/subgraphs.env', '--out', file], {
        cwd: projectRoot,
      });
      const supergraph = readFileSync(file, 'utf8');
      expect(supergraph).toContain('@join__graph(name: "members", url: "http://members:4001/graphql")');
      expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/join/v0.4", for: EXECUTION)');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    expect(kustomization.configMapGenerator).toEqual([{ name: 'supergraph', files: ['supergraph.graphql'] }]);
    const router = deployments.find((deployment) => deployment.metadata.name === 'router')!;
    const [container] = containers(router);
    const mount = container!.volumeMounts?.find((volume) => volume.name === 'supergraph');
    expect(envOf(container!)['SUPERGRAPH_FILE']?.value).toBe(`${mount?.mountPath}/supergraph.graphql`);
    expect(router.spec.template?.spec.volumes).toEqual([{ name: 'supergraph', configMap: { name: 'supergraph' } }]);
  });

  it('build an image from folders that exist', () => {
    const dockerfile = readFileSync(join(projectRoot, 'deploy', 'Dockerfile'), 'utf8');
    // Sources from the build context; `COPY --from=build` takes what an earlier stage built.
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      expect(existsSync(join(projectRoot, source!)), source).toBe(true);
    }
  });
});

describe('.env.example', () => {
  it('documents every variable the config reads, and no other', () => {
    const documented = [...readFileSync(join(projectRoot, '.env.example'), 'utf8').matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect([...new Set(documented)].sort()).toEqual([...variables].sort());
  });
});
