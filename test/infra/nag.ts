/**
 * The shared cdk-nag check for every stack's tests: run the AwsSolutions
 * pack over a synthesized scope and fail on any unacknowledged finding,
 * error or warning, listing each one with its construct path.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
  readonly description: string;
}

export interface NagAcknowledgement {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

function synthesize(scope: IConstruct): void {
  // Aspects and lazy values only settle at synthesis; rules must see the final resources.
  const stage = Stage.of(scope) ?? (scope instanceof App ? scope : undefined);
  if (!stage) throw new Error(`${scope.node.path} is not inside an App or Stage; cdk-nag needs a synthesizable tree`);
  stage.synth();
}

/** Every unacknowledged AwsSolutions finding under `scope`. */
export function nagFindings(scope: IConstruct): NagFinding[] {
  synthesize(scope);
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      severity: violation.severity ?? 'unknown',
      path: resource.constructPath ?? '(unknown path)',
      description: violation.description,
    })),
  );
}

export function renderFinding(f: NagFinding): string {
  return `${f.severity} ${f.rule} at ${f.path}: ${f.description}`;
}

/** Fails with one line per finding, so the test output is the to-do list. */
export function expectNoNagFindings(scope: IConstruct): void {
  const findings = nagFindings(scope);
  for (const f of findings) process.stderr.write(`cdk-nag: ${renderFinding(f)}\n`);
  expect(findings.map(renderFinding)).toEqual([]);
}

/** Every acknowledged rule under `scope`, for review and for the report. */
export function nagAcknowledgements(scope: IConstruct): NagAcknowledgement[] {
  const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  const out: NagAcknowledgement[] = [];
  for (const node of scope.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== key || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ rule: id.replace(/^[a-z]+::/i, ''), path: node.node.path, reason });
      }
    }
  }
  return out;
}

export interface ValidationReport {
  readonly pluginReports?: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly description: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

/**
 * Unacknowledged findings of CDK's own synth-time validation (the
 * CloudFormation linter), as lines; the report is written to the assembly.
 */
export function cdkValidationFindings(app: App): string[] {
  const assembly = app.synth();
  const path = join(assembly.directory, 'validation-report.json');
  if (!existsSync(path)) return [];
  const report = JSON.parse(readFileSync(path, 'utf8')) as ValidationReport;
  return (report.pluginReports ?? []).flatMap((plugin) =>
    plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${plugin.pluginName} ${v.ruleName} at ${c.constructPath}: ${v.description}`)),
  );
}
