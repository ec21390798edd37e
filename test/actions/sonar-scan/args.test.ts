import { scannerArgs, splitArgs } from '../../../actions/sonar-scan/src/args';

describe('args into argv', () => {
  test('splits on any whitespace, newlines included', () => {
    expect(splitArgs('  -Dsonar.a=1\n\t-Dsonar.b=2  ')).toEqual(['-Dsonar.a=1', '-Dsonar.b=2']);
    expect(splitArgs('')).toEqual([]);
  });

  test('double quotes keep spaces and allow \\" and \\\\', () => {
    expect(splitArgs('-Dsonar.projectName="My service" -Dx="a \\"b\\" c\\\\"')).toEqual(['-Dsonar.projectName=My service', '-Dx=a "b" c\\']);
  });

  test('single quotes are literal', () => {
    expect(splitArgs("-Dsonar.exclusions='**/*.test.ts, $HOME/x' -Dy='a\\b'")).toEqual(['-Dsonar.exclusions=**/*.test.ts, $HOME/x', '-Dy=a\\b']);
  });

  test('nothing is interpreted as a shell would: no variables, globs or substitutions', () => {
    expect(splitArgs('$(rm -rf /) `id` $HOME *.ts ; && |')).toEqual(['$(rm', '-rf', '/)', '`id`', '$HOME', '*.ts', ';', '&&', '|']);
  });

  test('empty quoted strings are kept as empty arguments', () => {
    expect(splitArgs('-D "" x')).toEqual(['-D', '', 'x']);
  });

  test('an unterminated quote is an error naming the input', () => {
    expect(() => splitArgs('-Dsonar.projectName="My service')).toThrow(/input 'args' has an unterminated double quote/);
  });

  test('credentials in args are refused, in every spelling', () => {
    for (const raw of ['-Dsonar.token=abc', '-Dsonar.login=abc', '-D sonar.token=abc', '--define sonar.password=x', '--define=sonar.token=x']) {
      expect(() => scannerArgs(raw)).toThrow(/a credential; arguments are visible in process listings. Pass the token through the 'token' input or SONAR_TOKEN/);
    }
    expect(scannerArgs('-Dsonar.tokenizer=x -Dsonar.branch.name=main')).toEqual(['-Dsonar.tokenizer=x', '-Dsonar.branch.name=main']);
  });
});
