/**
 * `report-task.txt`, which the scanner writes after submitting an analysis:
 * a Java properties file naming the Compute Engine task, the server and the
 * dashboard. Missing or unreadable files fail with the path that was read.
 */
import { readFileSync } from 'fs';
import { ActionError } from '../../shared/errors';

export interface ReportTask {
  readonly projectKey: string;
  readonly serverUrl: string;
  readonly dashboardUrl: string;
  readonly ceTaskId: string;
  readonly ceTaskUrl?: string;
  readonly organization?: string;
}

/** Java .properties: `key=value` or `key: value` lines, `#`/`!` comments, backslash escapes. */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].trimStart();
    const match = /^((?:\\.|[^=:\s\\])*)\s*[=:]?\s*(.*)$/.exec(line);
    if (!match) continue;
    const unescape = (s: string): string => s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : { t: '\t', n: '\n', r: '\r', f: '\f' }[e] ?? e));
    result.set(unescape(match[1]), unescape(match[2]));
  }
  return result;
}

export function parseReportTask(text: string, path: string): ReportTask {
  const props = parseProperties(text);
  const required = ['projectKey', 'serverUrl', 'dashboardUrl', 'ceTaskId'] as const;
  const missing = required.filter((k) => !props.get(k));
  if (missing.length > 0) {
    throw new ActionError(`${path} lacks ${missing.join(', ')}; it has ${[...props.keys()].join(', ') || 'no properties'}. Was it written by a SonarScanner that finished its analysis?`);
  }
  const serverUrl = props.get('serverUrl')!;
  try {
    new URL(serverUrl);
  } catch {
    throw new ActionError(`${path} has serverUrl '${serverUrl}', which is not a URL. Was it written by a SonarScanner that finished its analysis?`);
  }
  return {
    projectKey: props.get('projectKey')!,
    serverUrl,
    dashboardUrl: props.get('dashboardUrl')!,
    ceTaskId: props.get('ceTaskId')!,
    ceTaskUrl: props.get('ceTaskUrl') || undefined,
    organization: props.get('organization') || undefined,
  };
}

/** Read and parse the report file; `absolutePath` is named in every failure. */
export function readReportTask(absolutePath: string, shownPath: string, scannerRan: boolean): ReportTask {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `could not be read (${code ?? (error as Error).message})`;
    const hint = scannerRan
      ? 'The scanner did not report an analysis there; if sonar.working.directory is set in args, set report-task-file to match.'
      : "With run-scanner: false the build's own scanner must have run first; set report-task-file to where it wrote report-task.txt.";
    throw new ActionError(`the scanner report ${shownPath} (${absolutePath}) ${why}. ${hint}`);
  }
  return parseReportTask(text, absolutePath);
}
