/**
 * The ansible-playbook command line, as an argv array (never a shell string),
 * and the environment it runs in. Pure.
 */
import { join } from 'path';
import { ANSIBLE_CONFIG, PLAYBOOK } from './layout';
import type { DriverOptions } from './options';

export interface PlaybookCommand {
  readonly command: 'ansible-playbook';
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export function playbookCommand(repoRoot: string, inventory: string, options: Pick<DriverOptions, 'limit' | 'check' | 'tags' | 'forks'>): PlaybookCommand {
  const args = [
    '--inventory', inventory,
    '--forks', String(options.forks),
    ...(options.limit !== undefined ? ['--limit', options.limit] : []),
    ...(options.tags.length > 0 ? ['--tags', options.tags.join(',')] : []),
    ...(options.check ? ['--check', '--diff'] : []),
    join(repoRoot, PLAYBOOK),
  ];
  return {
    command: 'ansible-playbook',
    args,
    env: {
      // Explicit, so the repository's ansible.cfg applies whatever the working directory.
      ANSIBLE_CONFIG: join(repoRoot, ANSIBLE_CONFIG),
      // The driver parses the output: plain text, flushed line by line.
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      PYTHONUNBUFFERED: '1',
    },
  };
}
