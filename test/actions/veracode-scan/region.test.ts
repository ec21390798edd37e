import { DEFAULT_API_BASE_URL, EU_API_BASE_URL, resolveRegion } from '../../../actions/veracode-scan/src/region';

describe('region from credential prefixes', () => {
  test('plain credentials use the default API', () => {
    expect(resolveRegion('abc1', 'def2')).toEqual({ credentials: { id: 'abc1', key: 'def2' }, region: 'default', apiBaseUrl: DEFAULT_API_BASE_URL });
  });

  test('vera01ei-/vera01es- go to the EU API with the prefixes stripped', () => {
    expect(resolveRegion('vera01ei-abc1', 'vera01es-def2')).toEqual({ credentials: { id: 'abc1', key: 'def2' }, region: 'eu', apiBaseUrl: EU_API_BASE_URL });
    expect(EU_API_BASE_URL).toBe('https://api.veracode.eu/pipeline_scan/v1');
  });

  test('an explicit base URL wins, trailing slash removed, prefixes still stripped', () => {
    expect(resolveRegion('vera01ei-abc1', 'vera01es-def2', 'http://127.0.0.1:9/pipeline_scan/v1/')).toMatchObject({
      credentials: { id: 'abc1', key: 'def2' },
      apiBaseUrl: 'http://127.0.0.1:9/pipeline_scan/v1',
    });
  });

  test('mismatched prefixes are an error naming both', () => {
    expect(() => resolveRegion('vera01ei-abc1', 'def2')).toThrow(/API id has the EU prefix 'vera01ei-' but the API key lacks 'vera01es-'/);
  });

  test('a base URL that is not http(s) is rejected with an example', () => {
    expect(() => resolveRegion('a1', 'b2', 'ftp://x')).toThrow(/must be an http\(s\) URL. Write e.g. 'https:\/\/api.veracode.com\/pipeline_scan\/v1'/);
    expect(() => resolveRegion('a1', 'b2', 'not a url')).toThrow(/is not a URL/);
  });
});
