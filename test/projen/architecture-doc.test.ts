import { renderArchitectureDiagram, renderArchitectureDoc } from '../../src/projen/architecture-diagram';
import { specWith } from '../infra/fixtures';

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
    expect(diagram).toContain('VPC vpc-flask-app<br/>192.168.0.0/16');
    expect(diagram).toContain('gateway-flask-app');
    expect(diagram).toContain('ECS Fargate service flask-app');
    expect(diagram).toContain('DynamoDB flask-app');
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
    expect(diagram).toContain('EKS flask-app · Fargate profile');
    expect(diagram).toContain('AWS Load Balancer Controller binds the pods to the target group');
    expect(diagram).toContain('Aurora PostgreSQL flask-app-db');
    expect(diagram).not.toContain('DynamoDB');
    expect(diagram).toContain('HTTPS :443 · HTTP :80 redirects');
    expect(diagram).toContain('NAT gateway (one)');
    expect(diagram).toContain('private-subnet-c<br/>192.168.5.0/24 · 251 usable<br/>eu-west-1c');
    expect(diagram).toContain('"cdk deploy → kubectl apply"');
  });

  test('the document: diagram in a mermaid block, a subnet table, the stacks', () => {
    const doc = renderArchitectureDoc(specWith());
    expect(doc).toMatch(/```mermaid\nflowchart TB\n[\s\S]+\n```/);
    expect(doc).toContain('| private-subnet-b | private | AZ b (chosen at deploy) | 192.168.3.0/24 | 256 | 251 |');
    expect(doc).toContain('| delivery | `flask-app-delivery` |');
  });

  test('says how new and replaced hosts get configured, and only when the pipeline has the job', () => {
    expect(renderArchitectureDoc(specWith())).toContain(
      '- **Hosts**: after each deploy, the configure-hosts job assumes the hosts-configuration role (OIDC, environment `production`, `vars.AWS_HOSTS_ROLE_ARN`)',
    );
    expect(renderArchitectureDoc(specWith({ hosts: { count: 0 } }))).not.toContain('**Hosts**');
  });
});
