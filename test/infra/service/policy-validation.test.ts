/**
 * AWS Control Tower's proactive controls (cfn-guard, as CDK's policy-validation
 * plugin) over the whole estate: no unacknowledged finding in the default
 * estate, a protected one with a domain, and each other platform and database,
 * and every acknowledgement sits at its resource with a reviewable reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { App, Stack, aws_s3 as s3, aws_sqs as sqs } from 'aws-cdk-lib';
import {
  CFN_GUARD_PLUGIN, ControlTowerRules, ServiceStacks, acknowledge, asErrors, buildApp, guardRule, rulesFor, serviceApp, withoutUnlocatedDuplicates,
} from '../../../src/infra';
import { specWith } from '../fixtures';
import { EKS_NETWORK } from './fixtures';

// Each case synthesizes eight stacks and runs cfn-guard over them.
jest.setTimeout(180_000);

interface ReportViolation {
  readonly ruleName: string;
  readonly reason?: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

interface ReportJson {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly ReportViolation[];
    readonly suppressedViolations?: readonly ReportViolation[];
  }[];
}

function synthesizeWithGuard(spec: ReturnType<typeof specWith>): { report: ReportJson; stacks: ServiceStacks } {
  const outdir = mkdtempSync(join(tmpdir(), 'slipway-guard-'));
  try {
    // The report is read from the assembly rather than from the exception, so every finding is listed at once.
    const app = serviceApp({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const stacks = buildApp(app, spec);
    app.synth();
    return { report: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ReportJson, stacks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const DOMAIN = { name: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };

describe.each([
  ['the default estate (unprotected seed)', {}, {}],
  ['a protected environment with a domain', { container: { domain: DOMAIN } }, {}],
  ['ECS with Aurora', { database: 'aurora-postgresql' }, {}],
  ['EKS without a database', { platform: 'eks', database: 'none' }, EKS_NETWORK],
] as const)('%s', (_name, overrides, network) => {
  const { report } = synthesizeWithGuard(specWith(overrides, network));
  const guard = report.pluginReports.find((p) => p.pluginName === CFN_GUARD_PLUGIN);

  test('the cfn-guard plugin ran and reports no unacknowledged failure', () => {
    expect(guard).toBeDefined();
    const findings = guard!.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`));
    expect(findings).toEqual([]);
  });

  test("CDK's own CloudFormation validation reports nothing unacknowledged either", () => {
    const cfn = report.pluginReports.find((p) => p.pluginName === 'CloudFormation Validate');
    expect((cfn?.violations ?? []).flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`))).toEqual([]);
  });

  test('every acknowledged finding carries its reason', () => {
    const suppressed = guard!.suppressedViolations ?? [];
    expect(suppressed.length).toBeGreaterThan(0);
    for (const s of suppressed) expect((s.reason ?? '').length).toBeGreaterThanOrEqual(40);
  });
});

describe('the plugin wrapper', () => {
  // cfn-guard leaves resourceLogicalId unset for the unlocated entry, whatever the type says.
  const resource = (id: string | undefined, locations: string[]) => ({ resourceLogicalId: id as string, locations, templatePath: 't.json' });
  const report = (resources: ReturnType<typeof resource>[]): PolicyValidationPluginReportBeta1 => ({
    success: false,
    violations: [{ ruleName: 'lambda_inside_vpc_check', description: 'd', violatingResources: resources }],
  });

  test('drops an unlocated entry beside real resources, keeping the real ones and the failure', () => {
    const out = withoutUnlocatedDuplicates(report([resource('Fn', ['/Resources/Fn/Properties/VpcConfig']), resource(undefined, ['', ''])]));
    expect(out.violations[0].violatingResources.map((r) => r.resourceLogicalId)).toEqual(['Fn']);
    expect(out.success).toBe(false);
  });

  test('keeps a violation made only of unlocated entries: nothing passes because of the drop', () => {
    const out = withoutUnlocatedDuplicates(report([resource(undefined, [''])]));
    expect(out.violations[0].violatingResources).toHaveLength(1);
    expect(out.success).toBe(false);
  });

  test('guardRule names the plugin namespace and rejects what is not a rule name', () => {
    expect(guardRule('sqs_dlq_check')).toBe('cdk-validator-cfnguard::sqs_dlq_check');
    expect(() => guardRule('CT.SQS.PR.1')).toThrow(/not a cfn-guard rule name.*sqs_dlq_check/);
  });
});

describe('failing closed, and only the rules that can apply', () => {
  /** Two queues without a dead-letter queue; the second one's finding is acknowledged. */
  function queuesApp(outdir: string) {
    const app = serviceApp({ outdir });
    const stack = new Stack(app, 'Queues');
    new sqs.Queue(stack, 'Unacknowledged', { enforceSSL: true });
    acknowledge(new sqs.Queue(stack, 'Acknowledged', { enforceSSL: true }), {
      id: guardRule('sqs_dlq_check'),
      reason: 'This queue stands in for a dead-letter queue in the test; it needs no queue of its own.',
    });
    return app;
  }

  test('an unacknowledged finding fails the synth even when another one is acknowledged', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'slipway-guard-'));
    try {
      expect(() => queuesApp(outdir).synth()).toThrow(/CT\.SQS\.PR\.1[\s\S]*Queues\/Unacknowledged/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the selected rules report exactly what the whole Control Tower set reports', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'slipway-guard-'));
    try {
      // Plain templates (no plugin at synth), then both rule sets over the same files.
      const app = new App({ outdir });
      const stack = new Stack(app, 'Queues');
      new sqs.Queue(stack, 'Queue', { enforceSSL: true });
      new s3.Bucket(stack, 'Bucket');
      const templatePaths = app.synth().stacks.map((a) => a.templateFullPath);
      const key = (r: PolicyValidationPluginReportBeta1) =>
        r.violations.flatMap((v) => v.violatingResources.filter((x) => x.resourceLogicalId).map((x) => `${v.ruleName} ${x.resourceLogicalId}`)).sort();
      const all = key(new CfnGuardValidator().validate({ templatePaths } as never));
      const selected = key(new ControlTowerRules().validate({ templatePaths } as never));
      expect(all).toEqual(expect.arrayContaining([expect.stringMatching(/^sqs_dlq_check Queue/), expect.stringMatching(/^s3_.* Bucket/)]));
      expect(selected).toEqual(all);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an unchanged estate reuses the last report; a changed template runs cfn-guard again', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'slipway-guard-'));
    const run = jest.spyOn(CfnGuardValidator.prototype, 'validate');
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Queues');
      // A name no earlier run used, so the first validation here cannot hit an old cache entry.
      new sqs.Queue(stack, 'Queue', { enforceSSL: true, queueName: `q-${process.pid}-${Date.now()}` });
      const templatePaths = app.synth().stacks.map((a) => a.templateFullPath);
      const first = new ControlTowerRules().validate({ templatePaths } as never);
      const second = new ControlTowerRules().validate({ templatePaths } as never);
      expect(run).toHaveBeenCalledTimes(1);
      expect(second).toEqual(first);
      expect(second.violations.flatMap((v) => v.violatingResources.map((r) => r.templatePath))).toContain(templatePaths[0]);
      writeFileSync(templatePaths[0], readFileSync(templatePaths[0], 'utf8').replace('"Resources"', '"Description": "changed", "Resources"'));
      new ControlTowerRules().validate({ templatePaths } as never);
      expect(run).toHaveBeenCalledTimes(2);
    } finally {
      run.mockRestore();
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('rulesFor keeps rules that name a present type or no type, and drops the rest', () => {
    const files = [
      { path: 'sqs.guard', text: 'let t = "AWS::SQS::Queue"' },
      { path: 'redshift.guard', text: 'let t = "AWS::Redshift::Cluster"' },
      { path: 'generic.guard', text: 'rule r { Resources exists }' },
    ];
    expect(rulesFor(files, new Set(['AWS::SQS::Queue']))).toEqual(['sqs.guard', 'generic.guard']);
  });

  test('every Control Tower violation counts as an error, so acknowledgements elsewhere cannot pass it', () => {
    const out = asErrors({ success: false, violations: [{ ruleName: 'sqs_dlq_check', description: 'd', violatingResources: [] }] });
    expect(out.violations[0].severity).toBe('error');
  });
});
