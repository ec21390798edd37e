import { TEST_API_ID, TEST_API_KEY } from './pipeline-scan-server';
import { HttpSend } from '../../../actions/shared/http';
import { RequestSigner, authorizationHeader, nonceKey, parseAuthorizationHeader, signature } from '../../../actions/veracode-scan/src/hmac';
import { PipelineScanApi } from '../../../actions/veracode-scan/src/pipeline-scan-api';

// The published worked example of VERACODE-HMAC-SHA-256 (issue #6).
const VECTOR = {
  host: 'analysiscenter.veracode.com',
  pathAndQuery: '/api/5.0/getapplist.do',
  method: 'GET',
  timestamp: 1528471895699,
  nonce: '43a096639916c4f3925a44200cc2eeeb',
};
const SIG = 'ec1241f682aac90594cb17c51044aee450abeecf4f3d837718109c3e933c72e2';

describe('VERACODE-HMAC-SHA-256', () => {
  test('the nonce key matches the published intermediate HMAC', () => {
    expect(nonceKey(TEST_API_KEY, VECTOR.nonce).toString('hex')).toBe('fdadd4b99d0e80e2ff62c8462e649df50b7d8454bc44184385ad2d249eb0d3a2');
  });

  test('the full header matches the published example', () => {
    expect(authorizationHeader({ id: TEST_API_ID, key: TEST_API_KEY }, VECTOR)).toBe(
      `VERACODE-HMAC-SHA-256 id=${TEST_API_ID},ts=1528471895699,nonce=43a096639916c4f3925a44200cc2eeeb,sig=${SIG}`,
    );
  });

  test('the method is signed upper-case and every part changes the signature', () => {
    const creds = { id: TEST_API_ID, key: TEST_API_KEY };
    expect(signature(creds, { ...VECTOR, method: 'get' })).toBe(SIG);
    for (const change of [{ host: 'api.veracode.com' }, { pathAndQuery: '/api/5.0/getapplist.do?x=1' }, { method: 'POST' }, { timestamp: VECTOR.timestamp + 1 }, { nonce: '43a096639916c4f3925a44200cc2eeec' }]) {
      expect(signature(creds, { ...VECTOR, ...change })).not.toBe(SIG);
    }
  });

  test('the signer takes host, path and query from the URL, with injected clock and nonce', () => {
    const signer = new RequestSigner({ id: TEST_API_ID, key: TEST_API_KEY }, () => VECTOR.timestamp, () => VECTOR.nonce);
    expect(signer.sign('GET', new URL('https://analysiscenter.veracode.com/api/5.0/getapplist.do'))).toContain(`sig=${SIG}`);
  });

  test('each request gets a fresh 32-hex nonce by default', () => {
    const signer = new RequestSigner({ id: TEST_API_ID, key: TEST_API_KEY });
    const url = new URL('https://api.veracode.com/pipeline_scan/v1/scans');
    const a = parseAuthorizationHeader(signer.sign('POST', url))!;
    const b = parseAuthorizationHeader(signer.sign('POST', url))!;
    expect(a.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(a.nonce).not.toBe(b.nonce);
    expect(Math.abs(a.timestamp - Date.now())).toBeLessThan(60_000);
  });

  test('a key that is not hex is rejected up front, without echoing it', () => {
    expect(() => new RequestSigner({ id: TEST_API_ID, key: 'not-a-secret-but-secretish' })).toThrow(/API key must be hexadecimal; the value given is not \(length 26\)/);
    try {
      new RequestSigner({ id: TEST_API_ID, key: 'not-a-secret-but-secretish' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secretish');
    }
  });
});

describe('signing follows the origin, not the host', () => {
  test('a redirect to plain http on the same host gets no Authorization header', async () => {
    const seen: { url: string; authorization?: string }[] = [];
    const send: HttpSend = async (request) => {
      seen.push({ url: request.url.toString(), authorization: request.headers?.authorization });
      if (request.url.protocol === 'https:') {
        return { status: 302, headers: { location: 'http://api.veracode.com/pipeline_scan/v1/scans/s1' }, body: Buffer.from(''), url: request.url };
      }
      return { status: 200, headers: {}, body: Buffer.from('{"scan_id":"s1","scan_status":"PENDING"}'), url: request.url };
    };
    const api = new PipelineScanApi('https://api.veracode.com/pipeline_scan/v1', send, new RequestSigner({ id: TEST_API_ID, key: TEST_API_KEY }));
    await api.getScan('s1').catch(() => undefined);
    expect(seen[0].authorization).toMatch(/^VERACODE-HMAC-SHA-256 /);
    expect(seen.slice(1).map((r) => [r.url, r.authorization])).toEqual([['http://api.veracode.com/pipeline_scan/v1/scans/s1', undefined]]);
  });
});
