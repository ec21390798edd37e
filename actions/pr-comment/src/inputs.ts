/** The pr-comment action's inputs, parsed and validated before any API call. */
import { readFileSync } from 'fs';
import { ActionError, InputError, Inputs } from '../../shared';

export interface CommentInputs {
  /** The markdown to post, read from body-file. */
  readonly body: string;
  readonly marker: string;
  readonly token: string;
  readonly author: string;
}

function readMarker(inputs: Inputs): string {
  const marker = inputs.required('marker');
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(marker)) {
    throw new InputError('marker', `input 'marker' must be 1 to 63 lowercase letters, digits and '-' (starting with a letter or digit), e.g. 'infra-diff'; got '${marker}'.`);
  }
  return marker;
}

function readBody(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ActionError(`input 'body-file' names '${file}', which cannot be read: ${(e as Error).message}`);
  }
}

export function readCommentInputs(inputs: Inputs): CommentInputs {
  const token = inputs.secret('github-token', { required: true });
  const marker = readMarker(inputs);
  return { body: readBody(inputs.required('body-file')), marker, token, author: inputs.string('author', 'github-actions[bot]') };
}
