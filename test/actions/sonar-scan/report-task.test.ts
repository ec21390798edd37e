import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { reportTaskText } from './sonar-server';
import { parseProperties, parseReportTask, readReportTask } from '../../../actions/sonar-scan/src/report-task';

describe('report-task.txt', () => {
  test('parses what the scanner writes', () => {
    expect(parseReportTask(reportTaskText('https://sonar.example.com', 'AYx1'), 'r.txt')).toEqual({
      projectKey: 'svc',
      serverUrl: 'https://sonar.example.com',
      dashboardUrl: 'https://sonar.example.com/dashboard?id=svc',
      ceTaskId: 'AYx1',
      ceTaskUrl: 'https://sonar.example.com/api/ce/task?id=AYx1',
      organization: undefined,
    });
  });

  test('Java properties syntax: comments, colons, escapes, continuations', () => {
    const props = parseProperties('# comment\n! other\nserverUrl=https\\://h\\:9000\nkey : value\nlong=a\\\n    b\nuni=\\u00e9\n');
    expect(Object.fromEntries(props)).toEqual({ serverUrl: 'https://h:9000', key: 'value', long: 'ab', uni: 'é' });
  });

  test('missing properties are named, with what the file does have', () => {
    expect(() => parseReportTask('projectKey=svc\nserverUrl=http://x\n', '/w/.scannerwork/report-task.txt')).toThrow(
      '/w/.scannerwork/report-task.txt lacks dashboardUrl, ceTaskId; it has projectKey, serverUrl.',
    );
  });

  test('a serverUrl that is not a URL is named', () => {
    expect(() => parseReportTask(reportTaskText('not a url', 't1'), 'r.txt')).toThrow("r.txt has serverUrl 'not a url', which is not a URL.");
  });

  test('a missing or unreadable file fails naming the path that was read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-task-'));
    try {
      expect(() => readReportTask(join(dir, 'nope.txt'), 'nope.txt', true)).toThrow(`the scanner report nope.txt (${join(dir, 'nope.txt')}) does not exist.`);
      expect(() => readReportTask(dir, '.', false)).toThrow(/\(.*\) is a directory. With run-scanner: false the build's own scanner must have run first/);
      writeFileSync(join(dir, 'ok.txt'), reportTaskText('http://x', 't1'));
      expect(readReportTask(join(dir, 'ok.txt'), 'ok.txt', true).ceTaskId).toBe('t1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
