/**
 * Debian's prometheus, started on 127.0.0.1 with the generated scrape config
 * turned into static targets (EC2 discovery needs AWS), so a test can ask
 * whether every host's exporter is `up`.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';
import { stringify } from 'yaml';
import type { ScrapeJob } from '../../../src/hosts/scrape-config';

/** The generated job with EC2 discovery swapped for static targets; EC2-only relabelling dropped with it. */
export function staticJob(job: ScrapeJob, targets: readonly string[], scrapeInterval = '1s'): Record<string, unknown> {
  const { ec2_sd_configs: discovery, relabel_configs: relabel, ...rest } = job;
  void discovery;
  const kept = relabel.filter((r) => !JSON.stringify(r).includes('__meta_ec2_'));
  return {
    ...rest,
    scrape_interval: scrapeInterval,
    static_configs: [{ targets: [...targets] }],
    ...(kept.length > 0 ? { relabel_configs: kept } : {}),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  /** `up` per target of `job`, from the query API. */
  up(job: string): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

export async function startPrometheus(jobs: readonly Record<string, unknown>[]): Promise<RunningPrometheus> {
  const dir = mkdtempSync('/tmp/slipway-prometheus-');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: jobs }));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus did not become ready in 20 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async up(job: string) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(`up{job="${job}"}`)}`);
      const body = (await res.json()) as { data: { result: { metric: { instance: string }; value: [number, string] }[] } };
      return new Map(body.data.result.map((r) => [r.metric.instance, Number(r.value[1])]));
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
