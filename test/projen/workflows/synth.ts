/**
 * Synthesizes a SlipwayProject in a temp dir and returns its workflows,
 * as text (for actionlint and snapshots) and parsed (for assertions).
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'projen';
import { parse } from 'yaml';
import { SlipwayProject } from '../../../src/projen';
import { SlipwayWorkflows } from '../../../src/projen/workflows';
import type { ServiceOptions } from '../../../src/spec';
import { seedOptions } from '../../spec/fixtures';

export const PIPELINE_PATH = '.github/workflows/pipeline.yml';
export const PULL_REQUEST_PATH = '.github/workflows/pull-request.yml';
export const ROLLBACK_PATH = '.github/workflows/rollback.yml';

/** The stages of the default .projenrc.ts: staging (its own network, one host), then production (the seed's). */
export const TWO_STAGES: Partial<ServiceOptions> = {
  stages: [
    {
      name: 'staging',
      network: { cidr: '172.20.0.0/16', publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'], privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'] },
      hosts: { count: 1 },
    },
    { name: 'production', protected: false },
  ],
};

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

export interface Job {
  readonly 'name'?: string;
  readonly 'needs'?: string | string[];
  readonly 'if'?: string;
  readonly 'permissions'?: Record<string, string>;
  readonly 'environment'?: { name: string; url?: string };
  readonly 'concurrency'?: unknown;
  readonly 'outputs'?: Record<string, string>;
  readonly 'timeout-minutes'?: number;
  readonly 'steps': Step[];
}

export interface Workflow {
  readonly 'name': string;
  readonly 'run-name'?: string;
  readonly 'on': Record<string, unknown>;
  readonly 'permissions'?: Record<string, string>;
  readonly 'concurrency'?: { 'group': string; 'cancel-in-progress': boolean };
  readonly 'jobs': Record<string, Job>;
}

export interface Synthesized {
  readonly pipelineText: string;
  readonly pullRequestText: string;
  readonly pipeline: Workflow;
  readonly pullRequest: Workflow;
  /** Absent when the spec has no deploy stage. */
  readonly rollbackText?: string;
  readonly rollback?: Workflow;
}

/** Options: the seed with `pipeline` replaced; `customise` runs before synth (the escape hatch). */
export function synthWorkflows(
  pipeline: ServiceOptions['pipeline'] = undefined,
  customise?: (workflows: SlipwayWorkflows) => void,
  overrides: Partial<ServiceOptions> = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'slipway-workflows-'));
  try {
    const seed = seedOptions();
    // Docker Hub images are pulled over the internet, which the spec only allows with a NAT gateway.
    const network = pipeline?.registry === 'dockerhub' ? { ...seed.network, egress: 'nat-gateway' as const } : seed.network;
    const service: ServiceOptions = { ...seed, network, ...(pipeline ? { pipeline } : {}), ...overrides };
    const project = new SlipwayProject({ service, outdir });
    customise?.(SlipwayWorkflows.of(project));
    const out = Testing.synth(project);
    const pipelineText = out[PIPELINE_PATH] as string;
    const pullRequestText = out[PULL_REQUEST_PATH] as string;
    const rollbackText = out[ROLLBACK_PATH] as string | undefined;
    return {
      pipelineText,
      pullRequestText,
      pipeline: parse(pipelineText) as Workflow,
      pullRequest: parse(pullRequestText) as Workflow,
      ...(rollbackText ? { rollbackText, rollback: parse(rollbackText) as Workflow } : {}),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

export function graphOf(workflow: Workflow): Record<string, string[]> {
  return Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, needsOf(job)]));
}

/** Every `uses:` in the workflow, with the job it is in. */
export function usesOf(workflow: Workflow): { job: string; uses: string }[] {
  return Object.entries(workflow.jobs).flatMap(([job, j]) => j.steps.filter((s) => s.uses).map((s) => ({ job, uses: s.uses! })));
}
