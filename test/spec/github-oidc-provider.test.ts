import { seedOptions } from './fixtures';
import { SpecValidationError, normaliseServiceOptions } from '../../src/spec';

const ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

function githubWith(extra: Record<string, unknown>): unknown {
  const seed = seedOptions();
  return { ...seed, github: { ...seed.github, ...extra } };
}

describe('github.oidcProviderArn', () => {
  it('is absent by default: the access stack references the account provider by its deterministic ARN', () => {
    expect(normaliseServiceOptions(seedOptions()).github.oidcProviderArn).toBeUndefined();
  });

  it("keeps an existing provider's ARN, in any partition", () => {
    expect(normaliseServiceOptions(githubWith({ oidcProviderArn: ARN })).github.oidcProviderArn).toBe(ARN);
    const gov = 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    expect(normaliseServiceOptions(githubWith({ oidcProviderArn: gov })).github.oidcProviderArn).toBe(gov);
  });

  it.each([
    'arn:aws:iam::123456789012:oidc-provider/gitlab.com',
    'arn:aws:iam::1234:oidc-provider/token.actions.githubusercontent.com',
    'token.actions.githubusercontent.com',
  ])('rejects %s, naming the option and the expected form', (bad) => {
    try {
      normaliseServiceOptions(githubWith({ oidcProviderArn: bad }));
      throw new Error('expected a SpecValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(SpecValidationError);
      const lines = (e as SpecValidationError).problems.map((p) => `${p.path}: ${p.message}`);
      expect(lines).toEqual([expect.stringMatching(/^service\.github\.oidcProviderArn: '.*' is not valid: expected the ARN of the account's GitHub OIDC provider/)]);
    }
  });
});

describe('github.createOidcProvider', () => {
  it('is false by default (an account holds one provider per URL: creating a second fails with EntityAlreadyExists)', () => {
    expect(normaliseServiceOptions(seedOptions()).github.createOidcProvider).toBe(false);
    expect(normaliseServiceOptions(githubWith({ createOidcProvider: true })).github.createOidcProvider).toBe(true);
  });

  it('cannot be combined with oidcProviderArn, and says which to keep', () => {
    expect(() => normaliseServiceOptions(githubWith({ createOidcProvider: true, oidcProviderArn: ARN }))).toThrow(
      /service\.github\.createOidcProvider: is true but oidcProviderArn names an existing provider; keep one/,
    );
  });
});
