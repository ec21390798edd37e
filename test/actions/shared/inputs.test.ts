import { InputError } from '../../../actions/shared/errors';
import { Inputs } from '../../../actions/shared/inputs';
import { Runner } from '../../../actions/shared/runner';

function inputsOf(values: Record<string, string>): { inputs: Inputs; masked: string[] } {
  const masked: string[] = [];
  const runner: Pick<Runner, 'input' | 'setSecret'> = {
    input: (name) => (values[name] ?? '').trim(),
    setSecret: (value) => masked.push(value),
  };
  return { inputs: new Inputs(runner), masked };
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('Inputs', () => {
  test('required names the missing input and how to set it', () => {
    const e = inputError(() => inputsOf({}).inputs.required('pipeline-name'));
    expect(e.input).toBe('pipeline-name');
    expect(e.message).toBe("input 'pipeline-name' is required but was not set. Add it under 'with:', e.g. 'pipeline-name: <value>'.");
  });

  test('optional and string fall back on blank', () => {
    const { inputs } = inputsOf({ a: '  ', b: 'x' });
    expect(inputs.optional('a')).toBeUndefined();
    expect(inputs.string('a', 'dflt')).toBe('dflt');
    expect(inputs.string('b', 'dflt')).toBe('x');
  });

  test('booleans accept only the YAML 1.2 core spellings', () => {
    const { inputs } = inputsOf({ t: 'True', f: 'FALSE', y: 'yes', one: '1' });
    expect(inputs.boolean('t', false)).toBe(true);
    expect(inputs.boolean('f', true)).toBe(false);
    expect(inputs.boolean('absent', true)).toBe(true);
    expect(inputError(() => inputs.boolean('y', true)).message).toBe("input 'y' must be true or false; got 'yes'. Write e.g. 'y: true'.");
    expect(() => inputs.boolean('one', false)).toThrow(InputError);
  });

  test('integers are whole, in range, and the message quotes the value', () => {
    const { inputs } = inputsOf({ ok: '60', frac: '1.5', neg: '-1', huge: '99999999999999999999', word: 'ten' });
    expect(inputs.integer('ok', { default: 5, min: 1, max: 360 })).toBe(60);
    expect(inputs.integer('absent', { default: 5, min: 1 })).toBe(5);
    expect(inputError(() => inputs.integer('frac', { default: 15, min: 1 })).message).toBe("input 'frac' must be a whole number; got '1.5'. Write e.g. 'frac: 15'.");
    expect(inputError(() => inputs.integer('neg', { default: 15, min: 1, max: 60 })).message).toBe("input 'neg' must be between 1 and 60; got '-1'. Write e.g. 'neg: 15'.");
    expect(() => inputs.integer('huge', { min: 0 })).toThrow(/must be between/);
    expect(() => inputs.integer('word')).toThrow(/whole number; got 'ten'/);
    expect(inputError(() => inputs.integer('absent')).input).toBe('absent');
  });

  test('enumerations are exact and suggest the right case', () => {
    const { inputs } = inputsOf({ builder: 'Buildah', sev: 'EXTREME' });
    expect(inputs.enumeration('absent', ['docker', 'buildah'] as const, 'docker')).toBe('docker');
    expect(inputError(() => inputs.enumeration('builder', ['docker', 'buildah'] as const)).message).toBe(
      "input 'builder' must be one of 'docker', 'buildah'; got 'Buildah'. Did you mean 'buildah'?",
    );
    expect(() => inputs.enumeration('sev', ['HIGH', 'LOW'] as const)).toThrow("got 'EXTREME'.");
    expect(() => inputs.enumeration('absent', ['a'] as const)).toThrow(/is required/);
  });

  test('lines drop blanks and trim', () => {
    expect(inputsOf({ tags: ' v1 \n\n  latest\r\n' }).inputs.lines('tags')).toEqual(['v1', 'latest']);
    expect(inputsOf({}).inputs.lines('tags')).toEqual([]);
  });

  test('keyValues validates names, lengths and duplicates line by line', () => {
    const opts = { namePattern: /^[A-Za-z0-9@\-_]+$/, nameDescription: 'letters, digits, @, - and _', minValueLength: 1, maxValueLength: 5 };
    const { inputs } = inputsOf({ ok: 'A=1\nb-c@d = x=y', noeq: 'A=1\nB', badname: 'A B=1', dup: 'A=1\nA=2', empty: 'A=', long: 'A=123456' });
    expect(inputs.keyValues('ok', opts)).toEqual([{ name: 'A', value: '1' }, { name: 'b-c@d', value: 'x=y' }]);
    expect(inputError(() => inputs.keyValues('noeq', opts)).message).toBe("input 'noeq' line 2 must be NAME=value; got 'B'. Write e.g. 'MY_NAME=value'.");
    expect(inputError(() => inputs.keyValues('badname', opts)).message).toBe("input 'badname' line 1: name 'A B' may contain only letters, digits, @, - and _.");
    expect(() => inputs.keyValues('dup', opts)).toThrow("line 2: name 'A' is given twice");
    expect(() => inputs.keyValues('empty', opts)).toThrow("the value of 'A' must be 1 to 5 characters long; it has 0.");
    expect(() => inputs.keyValues('long', opts)).toThrow('it has 6.');
  });

  test('secrets are masked the moment they are read, before any validation', () => {
    const { inputs, masked } = inputsOf({ password: 's3cret' });
    expect(inputs.secret('password')).toBe('s3cret');
    expect(masked).toEqual(['s3cret']);
    expect(inputs.secret('absent')).toBeUndefined();
    expect(() => inputs.secret('absent', { required: true })).toThrow(/'absent' is required/);
    expect(masked).toEqual(['s3cret']);
  });
});
