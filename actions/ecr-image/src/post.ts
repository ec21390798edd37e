/** Post step: log the builder out of the registry the main step logged into. Problems are warnings. */
import { logoutArgv } from './builders';
import { spawnCommands } from './command';
import { STATE } from './image';
import { BUILDERS } from './inputs';
import { CoreRunner, describeFailure } from '../../shared';

async function post(runner: CoreRunner): Promise<void> {
  const host = runner.state(STATE.registry);
  const builder = BUILDERS.find((b) => b === runner.state(STATE.builder));
  if (!host) return;
  if (!builder) {
    runner.warning(`cannot log out of ${host}: the saved builder '${runner.state(STATE.builder)}' is not docker or buildah`);
    return;
  }
  await spawnCommands((line) => runner.info(line))(logoutArgv(builder, host));
}

const runner = new CoreRunner();
post(runner).catch((error: unknown) => runner.warning(`post step: ${describeFailure(error)}`));
