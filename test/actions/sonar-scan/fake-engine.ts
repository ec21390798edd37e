/**
 * A stand-in for the Java scanner engine that the Sonar server hands to
 * @sonar/scan: installed as the `java` @sonar/scan runs (via
 * sonar.scanner.javaExePath), it reads the properties JSON from stdin as the
 * real engine does, records its argv and properties for the test, submits an
 * analysis to api/ce/submit with the token, and writes report-task.txt.
 */
import { chmodSync, writeFileSync } from 'fs';
import { join } from 'path';

const SCRIPT = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', async () => {
  const props = Object.fromEntries(JSON.parse(input).scannerProperties.map((p) => [p.key, p.value]));
  fs.writeFileSync(process.env.FAKE_ENGINE_RECORD, JSON.stringify({ argv: process.argv.slice(2), props, tokenInEnv: process.env.SONAR_TOKEN }));
  const log = (level, message) => console.log(JSON.stringify({ level, message }));
  const host = props['sonar.host.url'];
  const key = props['sonar.projectKey'];
  log('INFO', 'Analysing ' + key + ' on ' + host);
  const res = await fetch(host + '/api/ce/submit?projectKey=' + encodeURIComponent(key), { method: 'POST', headers: { authorization: 'Bearer ' + props['sonar.token'] } });
  if (res.status !== 200) { log('ERROR', 'submit answered HTTP ' + res.status); process.exit(2); }
  const { taskId } = await res.json();
  const base = props['sonar.projectBaseDir'] || process.cwd();
  const work = path.resolve(base, props['sonar.working.directory'] || '.scannerwork');
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'report-task.txt'), [
    'projectKey=' + key, 'serverUrl=' + host, 'serverVersion=10.7.0.96327',
    'dashboardUrl=' + host + '/dashboard?id=' + key, 'ceTaskId=' + taskId, 'ceTaskUrl=' + host + '/api/ce/task?id=' + taskId, '',
  ].join('\\n'));
  log('INFO', 'ANALYSIS SUCCESSFUL');
});
`;

/** Writes the stand-in engine as an executable `java` in `dir`; returns its path. */
export function installFakeEngine(dir: string): string {
  const path = join(dir, 'java');
  writeFileSync(path, SCRIPT);
  chmodSync(path, 0o755);
  return path;
}

export interface EngineRecord {
  argv: string[];
  props: Record<string, string>;
  tokenInEnv?: string;
}
