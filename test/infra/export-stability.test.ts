/**
 * CloudFormation refuses to change or remove an export another stack imports
 * ("Cannot update export … as it is in use by …"), which stops the single
 * multi-stack `cdk deploy` of a release. Synthesize the estate, then again
 * after each change a team makes on purpose (a new AMI, fewer hosts, another
 * database, the other platform), and prove that no value another stack
 * imports changes or disappears.
 */
import { cx_api } from 'aws-cdk-lib';
import { specWith } from './fixtures';
import { EKS_NETWORK } from './service/fixtures';
import { CfnTemplate, crossStackReads, exportsOf, synthEstate } from './synthesized';

// Each case synthesizes the whole estate twice.
jest.setTimeout(240_000);

/** Imports in `before` whose export is gone or has another value in `after`; empty when the update can go through. */
function brokenImports(before: Record<string, CfnTemplate>, after: Record<string, CfnTemplate>): string[] {
  const was = exportsOf(before);
  const now = exportsOf(after);
  const broken = crossStackReads(before)
    .filter((read) => read.kind === 'import')
    .flatMap(({ consumer, name }) => {
      const old = was.get(name);
      if (!old) return [`${consumer} imports ${name}, which no stack exports`];
      const next = now.get(name);
      if (!next) return [`${consumer} imports ${name} from ${old.stack}; the change removes it`];
      return JSON.stringify(next.value) === JSON.stringify(old.value) ? [] : [`${consumer} imports ${name} from ${old.stack}; the change alters its value`];
    });
  return [...new Set(broken)];
}

const PINNED = { count: 2, imageId: 'ami-0abcdef1234567890' };
const NAT = { egress: 'nat-gateway' };

// [what changes, options before, options after, network for both]
const CHANGES: [string, Parameters<typeof specWith>[0], Parameters<typeof specWith>[0], Record<string, unknown>][] = [
  ['a new AMI', { hosts: PINNED }, { hosts: { ...PINNED, imageId: 'ami-0fedcba9876543210' } }, {}],
  ['fewer hosts', { hosts: { count: 2 } }, { hosts: { count: 1 } }, {}],
  ['dynamodb → aurora-postgresql', { database: 'dynamodb' }, { database: 'aurora-postgresql' }, {}],
  ['dynamodb → none', { database: 'dynamodb' }, { database: 'none' }, {}],
  ['aurora-postgresql → dynamodb', { database: 'aurora-postgresql' }, { database: 'dynamodb' }, {}],
  ['ecs-fargate → eks', { platform: 'ecs-fargate' }, { platform: 'eks' }, EKS_NETWORK],
  ['eks → ecs-fargate', { platform: 'eks' }, { platform: 'ecs-fargate' }, NAT],
];

describe('no deliberate change breaks a value another stack imports', () => {
  it.each(CHANGES)('%s', (_, before, after, network) => {
    const a = synthEstate(specWith(before, network));
    const b = synthEstate(specWith(after, network));
    expect(brokenImports(a, b)).toEqual([]);
    expect(brokenImports(b, a)).toEqual([]);
  });

  it('every cross-stack read is weak (Fn::GetStackOutput), and no stack imports the stable exports', () => {
    const reads = crossStackReads(synthEstate(specWith()));
    expect(reads.filter((r) => r.kind === 'import')).toEqual([]);
    // The estate does read across stacks (hosts → network, observability → hosts, …): the check above is not vacuous.
    expect(new Set(reads.map((r) => r.consumer))).toEqual(new Set(['flask-app-production-hosts', 'flask-app-production-platform', 'flask-app-production-logs', 'flask-app-production-observability', 'flask-app-production-delivery']));
  });

  it('the check catches what strong references did: a new AMI replaced the hosts under the observability stack', () => {
    const strong = { [cx_api.DEFAULT_CROSS_STACK_REFERENCES]: 'strong' };
    const broken = brokenImports(synthEstate(specWith({ hosts: PINNED }), strong), synthEstate(specWith({ hosts: { ...PINNED, imageId: 'ami-0fedcba9876543210' } }), strong));
    expect(broken).toEqual([
      expect.stringMatching(/^flask-app-production-observability imports flask-app-production-hosts:ExportsOutputRefHost1\w+ from flask-app-production-hosts; the change alters its value$/),
      expect.stringMatching(/^flask-app-production-observability imports flask-app-production-hosts:ExportsOutputRefHost2\w+ from flask-app-production-hosts; the change alters its value$/),
    ]);
    const fewer = brokenImports(synthEstate(specWith({ hosts: { count: 2 } }), strong), synthEstate(specWith({ hosts: { count: 1 } }), strong));
    expect(fewer).toEqual([expect.stringMatching(/^flask-app-production-observability imports flask-app-production-hosts:ExportsOutputRefHost2\w+ from flask-app-production-hosts; the change removes it$/)]);
  });
});
