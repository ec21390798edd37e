/**
 * Tests that use real tools (Debian packages, root) skip on a developer
 * machine that lacks them, but never under CI: there a missing tool is a
 * failure, so a green CI always means the real-tool tests ran.
 */
import { execFileSync } from 'child_process';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** True when `command` is on PATH. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Returns why the real-tool tests cannot run here, or undefined when they can.
 * Under CI a missing requirement throws, failing the suite instead of skipping it.
 */
export function missingRequirements(requirements: { commands?: readonly string[]; root?: boolean }): string | undefined {
  const missing = (requirements.commands ?? []).filter((c) => !hasCommand(c));
  const reasons = [
    ...(missing.length > 0 ? [`missing commands: ${missing.join(', ')} (install them as .ci/run does)`] : []),
    ...(requirements.root && !isRoot() ? ['needs root'] : []),
  ];
  if (reasons.length === 0) return undefined;
  const why = reasons.join('; ');
  if (IN_CI) {
    throw new Error(`real-tool test cannot run under CI: ${why}`);
  }
  return why;
}

/** `describe` that runs when the requirements hold, and skips loudly (never under CI) when not. */
export function describeWithTools(
  name: string,
  requirements: { commands?: readonly string[]; root?: boolean },
  body: () => void,
): void {
  const why = missingRequirements(requirements);
  if (why) {
    describe.skip(`${name} (skipped: ${why})`, body);
  } else {
    describe(name, body);
  }
}
