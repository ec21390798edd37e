/**
 * AWS's own policy rules at synth: the AWS Control Tower proactive controls,
 * run by cfn-guard (the binary ships inside @cdklabs/cdk-validator-cfnguard,
 * so this runs offline) as a CDK policy-validation plugin over every stack.
 * A finding fails the synth unless it is acknowledged at its resource with
 * `acknowledge(scope, { id: guardRule('<rule>'), reason })`, the same way a
 * cdk-nag finding is; CDK's validation report records each acknowledgement.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join } from 'path';
// The CDK app runs only where devDependencies are installed (the repo and CI), never in a deployed service.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  App,
  AppProps,
  IPolicyValidationContextBeta1,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  PolicyViolatingResourceBeta1,
  Validations,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { acknowledge } from './acknowledge';

/** The plugin's name in the validation report, and the namespace of its rule ids. */
export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

/** The id that acknowledges one Control Tower rule (its guard rule name, e.g. 'sqs_dlq_check'). */
export function guardRule(rule: string): string {
  if (!/^[a-z0-9_]+$/.test(rule)) {
    throw new Error(`'${rule}' is not a cfn-guard rule name; write the rule name the validation report shows, e.g. 'sqs_dlq_check'`);
  }
  return `${CFN_GUARD_PLUGIN}::${rule}`;
}

/**
 * cfn-guard 3.1.1 can report a rule's document-level clause as one more "resource" with no logical id and an empty
 * location, beside the resources that really fail (seen for lambda_inside_vpc_check with several functions). It names
 * nothing, so it can be neither fixed nor acknowledged. Pure: drops such an entry only where the same violation names
 * a real resource, so no rule ever passes because of the drop; a violation of unlocated entries alone stays.
 */
export function withoutUnlocatedDuplicates(report: PolicyValidationPluginReportBeta1): PolicyValidationPluginReportBeta1 {
  const located = (r: PolicyViolatingResourceBeta1) => Boolean(r.resourceLogicalId) || r.locations.some((l) => l !== '');
  const violations = report.violations.map((v) =>
    v.violatingResources.some(located) ? { ...v, violatingResources: v.violatingResources.filter(located) } : v);
  return { ...report, violations, success: report.success || violations.every((v) => v.violatingResources.length === 0) };
}

/**
 * The plugin leaves `severity` unset, and CDK counts only 'error'/'fatal' violations as failures once any
 * acknowledgement exists in the app: without this, one acknowledgement anywhere would let every other Control
 * Tower finding pass. Every Control Tower proactive control is a requirement, so each violation is an error.
 */
export function asErrors(report: PolicyValidationPluginReportBeta1): PolicyValidationPluginReportBeta1 {
  return { ...report, violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })) };
}

export interface RuleFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Pure: the rule files that can report on these templates. A Control Tower rule selects its resources by type
 * and SKIPs when none is present, so a file that mentions none of the present types can only skip; a file that
 * names no type at all is kept. Running only the rest is what keeps cfn-guard cheap at every synth.
 */
export function rulesFor(files: readonly RuleFile[], presentTypes: ReadonlySet<string>): string[] {
  return files
    .filter((f) => {
      const types = f.text.match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g);
      return !types || types.some((t) => presentTypes.has(t));
    })
    .map((f) => f.path);
}

/** The resource types in the synthesized templates. */
export function resourceTypesIn(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const path of templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
    for (const resource of Object.values(template.Resources ?? {})) if (resource.Type) types.add(resource.Type);
  }
  return types;
}

const CONTROL_TOWER_RULES = join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
let ruleFiles: RuleFile[] | undefined;

function controlTowerRuleFiles(): RuleFile[] {
  if (!ruleFiles) {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.guard') ? [join(dir, e.name)] : []));
    ruleFiles = walk(CONTROL_TOWER_RULES).sort().map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  }
  return ruleFiles;
}

/** The Control Tower rules through cfn-guard: only those that can apply, every violation an error, unlocated duplicates dropped. */
export class ControlTowerRules implements IPolicyValidationPluginBeta1 {
  readonly name = CFN_GUARD_PLUGIN;
  readonly version?: string;

  constructor() {
    this.version = new CfnGuardValidator({ controlTowerRulesEnabled: false }).version;
  }

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const files = controlTowerRuleFiles();
    const rules = rulesFor(files, resourceTypesIn(context.templatePaths));
    if (rules.length === 0) return { success: true, violations: [] };
    // cfn-guard is deterministic: the same templates under the same rules and binary give the same report, so a
    // synth whose templates did not change reuses it (like the shipper bundle's cache) instead of running it again.
    const key = guardCacheKey(this.version ?? '', files.filter((f) => rules.includes(f.path)), context.templatePaths);
    const cached = readCachedReport(key, context.templatePaths);
    if (cached) return cached;
    // Node's 1 MiB default output buffer is too small for cfn-guard's structured output over a larger estate.
    const guard = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules, maxBuffer: 64 * 1024 * 1024 });
    const report = asErrors(withoutUnlocatedDuplicates(guard.validate(context)));
    writeCachedReport(key, report);
    return report;
  }
}

/** A hash of everything that decides the report: plugin version, rule texts, template contents and names. */
export function guardCacheKey(version: string, rules: readonly RuleFile[], templatePaths: readonly string[]): string {
  const hash = createHash('sha256').update(version);
  for (const r of rules) hash.update(basename(r.path)).update(r.text);
  for (const t of [...templatePaths].sort()) hash.update(basename(t)).update(readFileSync(t));
  return hash.digest('hex').slice(0, 32);
}

const cacheFile = (key: string) => join(tmpdir(), 'slipway-cfn-guard', `${key}.json`);

/** The cached report with its template paths pointed at this synth's templates (same names, this output dir). */
function readCachedReport(key: string, templatePaths: readonly string[]): PolicyValidationPluginReportBeta1 | undefined {
  const file = cacheFile(key);
  if (!existsSync(file)) return undefined;
  const byName = new Map(templatePaths.map((p) => [basename(p), p]));
  const report = JSON.parse(readFileSync(file, 'utf8')) as PolicyValidationPluginReportBeta1;
  return {
    ...report,
    violations: report.violations.map((v) => ({
      ...v,
      violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath: (r.templatePath && byName.get(r.templatePath)) ?? r.templatePath })),
    })),
  };
}

function writeCachedReport(key: string, report: PolicyValidationPluginReportBeta1): void {
  const file = cacheFile(key);
  mkdirSync(dirname(file), { recursive: true });
  const portable = {
    ...report,
    violations: report.violations.map((v) => ({
      ...v,
      violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath: r.templatePath && basename(r.templatePath) })),
    })),
  };
  // Written then renamed, so a concurrent synth never reads half a report.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(portable));
  renameSync(partial, file);
}

/** Registers the policy-validation plugins on an app; call once, before synth. */
export function addPolicyValidation(app: App): void {
  Validations.of(app).addPlugins(new ControlTowerRules());
}

/** The service's CDK app: policy validation on, as `cdk synth` runs it (tests build the same app). */
export function serviceApp(props: AppProps = {}): App {
  const app = new App(props);
  addPolicyValidation(app);
  return app;
}

/**
 * The Control Tower log-group rules that are opinions for a Slipway log group, acknowledged at the group:
 * retention follows the spec (the team's choice, not a fixed year), and CloudWatch Logs always encrypts at rest.
 */
export function acknowledgeLogGroupOpinions(group: logs.LogGroup, retentionDays: number, option: string): void {
  acknowledge(group, {
    id: guardRule('cloudwatch_log_group_retention_period_check'),
    reason: `Retention follows the spec's ${option} (${retentionDays} days), which the service team sets; a fixed one-year minimum would override their choice and its cost.`,
  }, {
    id: guardRule('cloudwatch_log_group_encrypted_check'),
    reason: 'CloudWatch Logs encrypts every log group at rest with service-owned keys; a customer KMS key would add key-policy coupling without narrowing who reads the logs.',
  });
}
