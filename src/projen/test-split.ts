/**
 * Two kinds of checks (DESIGN.md): the service checks every stamped repository runs on every push and
 * pull request (fast, no root), and the platform suite (real tools, root) that runs here and wherever
 * platform-owned files change. `npm test` still runs everything.
 */
import { Component, Task, awscdk } from 'projen';
import { OFFLINE_CDK_ENV, OFFLINE_SYNTH_COMMAND } from './offline-cdk';
import type { EstateSpec } from '../spec';

/** jest roots of the service checks: they read this repository's own spec, so they hold for any valid one. */
export const SERVICE_TEST_DIR = 'test/service';

/** Files the platform owns (DESIGN.md "Ownership"): a change to any of them runs the platform suite. */
export const PLATFORM_OWNED_PATHS = [
  'src/**', 'actions/**', 'ansible/**', 'test/**', 'monitoring/**', '.ci/**', '.projen/**', 'package.json', 'package-lock.json',
] as const;

/** The image context: the same in every stage (a stage cannot override container.imageContext), so the first stage's. */
export function imageContext(estate: EstateSpec): string {
  return estate.stages[0].container.imageContext;
}

/** The command the app's own tests run with, from the image context; no bytecode or caches left in the tree. */
export function appTestCommand(estate: EstateSpec): string {
  return `cd ${imageContext(estate)} && PYTHONDONTWRITEBYTECODE=1 ${estate.pipeline.appTestCommand}`;
}

export const TASKS = { service: 'test:service', platform: 'test:platform', app: 'test:app', typecheck: 'typecheck' } as const;

export class TestSplit extends Component {
  /** `projenrcCheck` type-checks .projenrc.ts alone; it runs first, before regeneration executes that file. */
  constructor(project: awscdk.AwsCdkTypeScriptApp, estate: EstateSpec, projenrcCheck: Task) {
    super(project);
    const typecheck = project.addTask(TASKS.typecheck, {
      description: 'Type-check .projenrc.ts, the sources and the tests (tsx runs .projenrc.ts without a type-check)',
      exec: 'tsc --noEmit -p tsconfig.dev.json',
    });
    const app = project.addTask(TASKS.app, {
      description: `The app's own tests (pipeline.appTestCommand, in ${imageContext(estate)}/)`,
      exec: appTestCommand(estate),
    });
    const service = project.addTask(TASKS.service, {
      description: "Service checks: spec and regeneration, type-check, cdk-nag and workflow lint on this repository's spec, offline synth, the app's tests",
      env: { ...OFFLINE_CDK_ENV },
    });
    service.spawn(projenrcCheck);
    service.spawn(project.defaultTask!);
    service.spawn(typecheck);
    service.exec(`jest --ci ${SERVICE_TEST_DIR}`);
    service.exec(OFFLINE_SYNTH_COMMAND);
    service.spawn(app);

    const platform = project.addTask(TASKS.platform, {
      description: 'The platform suite: every jest test outside test/service (real tools; run as root like .ci/run), then eslint',
    });
    platform.spawn(typecheck);
    platform.exec(`jest --ci --testPathIgnorePatterns /node_modules/ /cdk.out/ '<rootDir>/${SERVICE_TEST_DIR}/'`);
    if (project.eslint) platform.spawn(project.eslint.eslintTask);
  }
}
