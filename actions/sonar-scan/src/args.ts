/**
 * The `args` input as an argv array: split on whitespace, with single quotes
 * (literal), double quotes (backslash escapes \" and \\) and backslash outside
 * quotes, like a POSIX shell but without ever running one: no variables, no
 * globbing, no command substitution. Credentials are refused here, because
 * anything in argv shows up in process listings.
 */
import { InputError } from '../../shared/errors';

/** Properties that carry credentials: they go through SONAR_TOKEN in the environment instead. */
const SECRET_PROPERTIES = ['sonar.token', 'sonar.login', 'sonar.password', 'sonar.scanner.keystorePassword', 'sonar.scanner.truststorePassword'];

export function splitArgs(raw: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (raw[i + 1] === '"' || raw[i + 1] === '\\')) current += raw[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < raw.length) {
      current += raw[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) {
    throw new InputError('args', `input 'args' has an unterminated ${quote === '"' ? 'double' : 'single'} quote: ${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}. Close the quote, e.g. -Dsonar.projectName="My service".`);
  }
  if (inWord) args.push(current);
  return args;
}

/** The property name of a `-Dkey=value` / `--define key=value` style argument, if it is one. */
function definedProperty(arg: string, next: string | undefined): string | undefined {
  if (arg.startsWith('-D') && arg.length > 2) return arg.slice(2).split('=')[0];
  if ((arg === '-D' || arg === '--define') && next) return next.split('=')[0];
  if (arg.startsWith('--define=')) return arg.slice('--define='.length).split('=')[0];
  return undefined;
}

/** Parse and check the `args` input; a credential property is an error that says where it belongs. */
export function scannerArgs(raw: string): string[] {
  const args = splitArgs(raw);
  args.forEach((arg, i) => {
    const property = definedProperty(arg, args[i + 1]);
    if (property && SECRET_PROPERTIES.includes(property)) {
      throw new InputError(
        'args',
        `input 'args' sets ${property}, a credential; arguments are visible in process listings. Pass the token through the 'token' input or SONAR_TOKEN instead, and remove ${property} from args.`,
      );
    }
  });
  return args;
}
