/** The pure parts of the workflow-runner model: masks, the job-output rule, expressions. */
import { consumedJobOutputs, interpolate } from '../../support/workflow-runner/expressions';
import { applyJobOutputRule, maskSecrets, masksIn } from '../../support/workflow-runner/masking';

describe('masking (actions/runner SecretMasker and JobExtension job outputs)', () => {
  test('::add-mask:: lines register secrets, unescaped', () => {
    expect(masksIn('hello\n::add-mask::s3cr%25t\r\n::add-mask::\n::warning::x\n::add-mask::a%0Ab\n')).toEqual(['s3cr%t', 'a\nb']);
  });

  test('a secret anywhere in a value is masked, longest first', () => {
    expect(maskSecrets('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', ['123456789012'])).toBe('***.dkr.ecr.eu-west-1.amazonaws.com/app:1');
    expect(maskSecrets('abcd', ['ab', 'abc'])).toBe('***d');
  });

  test('empty outputs and outputs that contain a secret are not set, in the runner\'s words', () => {
    expect(applyJobOutputRule({ 'image-uri': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', 'digest': 'sha256:ab', 'none': '' }, ['123456789012'])).toEqual({
      set: { digest: 'sha256:ab' },
      skipped: { 'image-uri': "Skip output 'image-uri' since it may contain secret.", 'none': "Skip output 'none' since it's empty" },
    });
  });
});

describe('expressions', () => {
  test('property lookups interpolate; a missing property is empty', () => {
    expect(interpolate('${{ vars.A }}-${{ github.sha }}-${{ steps.x.outputs.y }}', { vars: { A: 'a' }, github: { sha: 's' } })).toBe('a-s-');
  });

  test('anything but a property lookup is refused, not guessed', () => {
    expect(() => interpolate("${{ github.ref == 'refs/heads/main' }}", {})).toThrow(/is not a property lookup/);
  });

  test('finds every needs.<job>.outputs.<name> a job reads', () => {
    const jobs = { deploy: { steps: [{ with: { variables: 'IMAGE_URI=${{ needs.image.outputs.image-uri }}\nX=${{ needs.image.outputs.digest }}' } }] }, image: { steps: [] } };
    expect(consumedJobOutputs(jobs)).toEqual([
      { consumer: 'deploy', job: 'image', output: 'image-uri' },
      { consumer: 'deploy', job: 'image', output: 'digest' },
    ]);
  });
});
