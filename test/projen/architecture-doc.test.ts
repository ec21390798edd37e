import { renderArchitectureDiagram, renderArchitectureDoc, renderPromotionDiagram } from '../../src/projen/architecture-diagram';
import { normaliseEstate, type EstateSpec, type ServiceSpec } from '../../src/spec';
import { specWith } from '../infra/fixtures';
import { seedOptions } from '../spec/fixtures';

/** A one-stage estate around a stage spec, as normaliseEstate makes it for options without stages. */
function estateOf(spec: ServiceSpec): EstateSpec {
  const { platform, database, github, pipeline, monitoring, imageRepository, serviceName, schemaVersion } = spec;
  return { schemaVersion, serviceName, stages: [spec], imageRepository, platform, database, github, pipeline, monitoring };
}

/** Structural checks a Mermaid flowchart must pass: balanced subgraphs, every edge endpoint declared, unique ids. */
function checkFlowchart(diagram: string): { nodes: Set<string>; edges: [string, string][] } {
  const lines = diagram.split('\n').map((l) => l.trim());
  expect(lines[0]).toBe('flowchart TB');
  let depth = 0;
  const nodes = new Set<string>();
  const edges: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('subgraph ')) {
      depth++;
      continue;
    }
    if (line === 'end') {
      depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
      continue;
    }
    const declared = /^([a-z_]+)[[(]/.exec(line);
    if (declared && !line.includes('--')) {
      expect(nodes.has(declared[1])).toBe(false);
      nodes.add(declared[1]);
      continue;
    }
    // An edge line: ids separated by arrows, labels in |...|, groups joined by &.
    const ids = line.replace(/\|[^|]*\|/g, ' ').split(/-->|-\.->|-\.-|&/).map((s) => s.trim());
    for (const id of ids) expect({ line, id, known: nodes.has(id) }).toEqual({ line, id, known: true });
    for (let i = 0; i + 1 < ids.length; i++) edges.push([ids[i], ids[i + 1]]);
  }
  expect(depth).toBe(0);
  return { nodes, edges };
}

describe('architecture diagram', () => {
  test('the seed: every subnet with its CIDR, the gateway, ALB, service, data, logs path and pipeline', () => {
    const spec = specWith();
    const diagram = renderArchitectureDiagram(spec);
    const { edges } = checkFlowchart(diagram);
    for (const s of spec.network.subnets) expect(diagram).toContain(`${s.name}<br/>${s.cidr} · 251 usable`);
    expect(diagram).toContain('VPC vpc-flask-app-production<br/>192.168.0.0/16');
    expect(diagram).toContain('gateway-flask-app-production');
    expect(diagram).toContain('ECS Fargate service flask-app-production');
    expect(diagram).toContain('DynamoDB flask-app-production');
    expect(diagram).toContain('ECR flask-app (shared)');
    // The seed has no certificate, so it is unprotected (no approval); the image rolls out inside cdk deploy.
    expect(diagram).toContain('"cdk deploy (rolls out the image)"');
    expect(edges).toEqual(expect.arrayContaining([['users', 'igw'], ['igw', 'alb'], ['logs', 'shipper'], ['shipper', 'search'], ['source', 'pipeline']]));
  });

  test('follows the options: EKS, Aurora, HTTPS, NAT egress, three pinned AZs, unprotected', () => {
    const spec = specWith(
      {
        platform: 'eks',
        database: 'aurora-postgresql',
        protectedEnvironment: false,
        container: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
        logs: { openSearchDataNodes: 3 },
      },
      {
        availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        egress: 'nat-gateway',
        publicSubnets: ['192.168.0.0/24', '192.168.1.0/24', '192.168.4.0/24'],
        privateSubnets: ['192.168.2.0/24', '192.168.3.0/24', '192.168.5.0/24'],
      },
    );
    const diagram = renderArchitectureDiagram(spec);
    checkFlowchart(diagram);
    expect(diagram).toContain('EKS flask-app-production · Fargate profile');
    expect(diagram).toContain('AWS Load Balancer Controller binds the pods to the target group');
    expect(diagram).toContain('Aurora PostgreSQL flask-app-production-db');
    expect(diagram).not.toContain('DynamoDB');
    expect(diagram).toContain('HTTPS :443 · HTTP :80 redirects');
    expect(diagram).toContain('NAT gateway (one)');
    expect(diagram).toContain('private-subnet-c<br/>192.168.5.0/24 · 251 usable<br/>eu-west-1c');
    expect(diagram).toContain('"cdk deploy → kubectl apply"');
  });

  test('the document: diagram in a mermaid block, a subnet table, the stacks', () => {
    const doc = renderArchitectureDoc(estateOf(specWith()));
    expect(doc).toMatch(/```mermaid\nflowchart TB\n[\s\S]+\n```/);
    expect(doc).toContain('| private-subnet-b | private | AZ b (chosen at deploy) | 192.168.3.0/24 | 256 | 251 |');
    expect(doc).toContain('| delivery | `flask-app-production-delivery` |');
  });

  test('says how new and replaced hosts get configured, and only when the pipeline has the job', () => {
    expect(renderArchitectureDoc(estateOf(specWith()))).toContain(
      '- **Hosts**: after each deploy, the configure-hosts job assumes the hosts-configuration role (OIDC, environment `production`, `vars.AWS_HOSTS_ROLE_ARN`)',
    );
    expect(renderArchitectureDoc(estateOf(specWith({ hosts: { count: 0 } })))).not.toContain('**Hosts**');
  });
});

describe('the stages in the architecture document', () => {
  const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
  const estate = normaliseEstate({
    ...seedOptions(),
    stages: [
      { name: 'staging', account: '111111111111', network: { cidr: '172.20.0.0/16', publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'], privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'] } },
      { name: 'production', account: '222222222222', region: 'eu-central-1', protected: true, container: { certificateArn: CERTIFICATE } },
    ],
  });

  test('the promotion path: one build and image, each stage in order with its account, region, VPC CIDR and guard', () => {
    const diagram = renderPromotionDiagram(estate);
    const { edges } = checkFlowchart(diagram.replace('flowchart LR', 'flowchart TB'));
    expect(diagram).toContain('"1. staging<br/>111111111111 · eu-west-1<br/>VPC vpc-flask-app-staging 172.20.0.0/16<br/>unprotected"');
    expect(diagram).toContain('"2. production<br/>222222222222 · eu-central-1<br/>VPC vpc-flask-app-production 192.168.0.0/16<br/>protected: reviewers + pipeline approval"');
    expect(diagram).toContain('"ECR flask-app<br/>111111111111 · eu-west-1 (stage staging)<br/>pulled by 222222222222"');
    expect(edges).toEqual(expect.arrayContaining([['build', 'ecr'], ['build', 'stage_staging'], ['stage_staging', 'stage_production'], ['ecr', 'stage_production']]));
    expect(diagram).toContain('stage_staging -->|"succeeded → approval"| stage_production');
  });

  test('a table of the stages, then a section per stage with its own diagram, subnets and stacks', () => {
    const doc = renderArchitectureDoc(estate);
    expect(doc).toContain('| 1 | `staging` | 111111111111 | eu-west-1 | `vpc-flask-app-staging` 172.20.0.0/16 | no | `flask-app-staging-deploy` |');
    expect(doc).toContain('| 2 | `production` | 222222222222 | eu-central-1 | `vpc-flask-app-production` 192.168.0.0/16 | yes | `flask-app-production-deploy` |');
    expect(doc.match(/^## Stage `/gm)).toHaveLength(2);
    expect(doc.match(/```mermaid/g)).toHaveLength(3);
    expect(doc).toContain('deploys what `staging` deployed, once it succeeded');
    expect(doc).toContain('| delivery | `flask-app-staging-delivery` |');
    expect(doc).toContain('| delivery | `flask-app-production-delivery` |');
    expect(doc.indexOf('## Stage `staging`')).toBeLessThan(doc.indexOf('## Stage `production`'));
  });
});
