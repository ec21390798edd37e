import { EventEmitter } from 'events';
import { watchCancellation } from '../../../actions/shared/cancellation';
import { ActionError, InputError, describeFailure } from '../../../actions/shared/errors';
import { SummaryWriter, escapeMarkdown, link } from '../../../actions/shared/summary';
import { realSleep } from '../../../actions/shared/time';
import { testRunner } from '../support/runner';

describe('SummaryWriter', () => {
  test('escapes cells so findings text cannot break the table or inject HTML', () => {
    expect(escapeMarkdown('a|b <script> *x*\nnext')).toBe('a\\|b &lt;script&gt; \\*x\\* next');
    expect(link('log', 'https://example.com/a (b)')).toBe('[log](https://example.com/a%20%28b%29)');
    expect(link('no url', undefined)).toBe('no url');
    expect(link('js', 'javascript:alert(1)')).toBe('js');
  });

  test('renders heading, table, list and details, and writes once to the job summary', async () => {
    const t = testRunner();
    try {
      const s = new SummaryWriter()
        .heading('Deploy')
        .table(['Stage', 'Status'], [['Source', 'Succeeded'], [{ markdown: link('Build', 'https://x/y') }, 'Failed']])
        .list(['one'])
        .details('Raw', 'body');
      await s.write(t.runner);
      await s.write(t.runner);
      expect(t.summary()).toBe(
        '### Deploy\n\n| Stage | Status |\n| --- | --- |\n| Source | Succeeded |\n| [Build](https://x/y) | Failed |\n\n- one\n\n<details><summary>Raw</summary>\n\nbody\n\n</details>\n',
      );
    } finally {
      t.cleanup();
    }
  });
});

describe('describeFailure', () => {
  test('action errors pass through; anything else is named as unexpected', () => {
    expect(describeFailure(new InputError('x', "input 'x' is bad"))).toBe("input 'x' is bad");
    expect(describeFailure(new ActionError('scan found 2 HIGH'))).toBe('scan found 2 HIGH');
    expect(describeFailure(new TypeError('x is undefined'))).toBe('unexpected error: TypeError: x is undefined');
    expect(describeFailure(new Error('plain'))).toBe('unexpected error: plain');
    expect(describeFailure('text')).toBe('unexpected error: text');
  });
});

describe('watchCancellation', () => {
  test('the first SIGINT or SIGTERM aborts the signal; dispose stops listening', () => {
    const source = new EventEmitter();
    const watch = watchCancellation(source);
    expect(watch.signal.aborted).toBe(false);
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(watch.signal.aborted).toBe(true);
    expect(watch.received()).toBe('SIGTERM');
    expect(source.listenerCount('SIGINT')).toBe(1);
    watch.dispose();
    expect(source.listenerCount('SIGINT')).toBe(0);
  });

  test('realSleep rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = realSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toThrow('the workflow run was cancelled');
    await expect(realSleep(1)).resolves.toBeUndefined();
  });
});
