/**
 * The setup custom resource against a local HTTP server that speaks the
 * OpenSearch REST API it calls (ISM policies with their 409 on a second create
 * and sequence-number updates, _plugins/_ism/add, _index_template, the
 * security plugin's rolesmapping) and receives CloudFormation's response PUT.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';
import { READER_ROLES } from '../../../src/infra/log-shipper/domain-setup';
import { setup } from '../../../src/infra/log-shipper/handler';

interface Policy { seqNo: number; primaryTerm: number; version: number; body: any }

class FakeDomain {
  readonly policies = new Map<string, Policy>();
  readonly templates = new Map<string, any>();
  readonly mappings = new Map<string, any>();
  readonly indices: string[] = [];
  readonly managed = new Set<string>();
  readonly requests: string[] = [];
  readonly responses: any[] = [];
  /** Bumps a policy's sequence number once between a GET and the conditional PUT (someone else updated it). */
  raceOnce = false;
  failTemplate = false;
  unsigned = 0;
  server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url!, 'http://x');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/cfn-response') {
      this.responses.push({ contentType: req.headers['content-type'], body: JSON.parse(text) });
      return void res.writeHead(200).end();
    }
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=AKIDTEST/')) this.unsigned++;
    const policy = url.pathname.match(/^\/_plugins\/_ism\/policies\/([^/]+)$/);
    if (policy) {
      const id = decodeURIComponent(policy[1]);
      const current = this.policies.get(id);
      const view = (p: Policy) => ({ _id: id, _version: p.version, _seq_no: p.seqNo, _primary_term: p.primaryTerm, policy: p.body.policy });
      if (req.method === 'GET') {
        if (!current) return reply(404, { error: { type: 'status_exception', reason: 'Policy not found' }, status: 404 });
        const shown = view(current);
        if (this.raceOnce) {
          this.raceOnce = false;
          current.seqNo++;
        }
        return reply(200, shown);
      }
      const seq = url.searchParams.get('if_seq_no');
      if (seq === null) {
        if (current) {
          return reply(409, { error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists (current version [${current.version}])` }, status: 409 });
        }
        this.policies.set(id, { seqNo: 0, primaryTerm: 1, version: 1, body: JSON.parse(text) });
        return reply(201, view(this.policies.get(id)!));
      }
      if (!current || Number(seq) !== current.seqNo || Number(url.searchParams.get('if_primary_term')) !== current.primaryTerm) {
        return reply(409, { error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, required seqNo [${seq}]` }, status: 409 });
      }
      this.policies.set(id, { seqNo: current.seqNo + 1, primaryTerm: current.primaryTerm, version: current.version + 1, body: JSON.parse(text) });
      return reply(200, view(this.policies.get(id)!));
    }
    const add = url.pathname.match(/^\/_plugins\/_ism\/add\/(.+)$/);
    if (add && req.method === 'POST') {
      const pattern = new RegExp(`^${decodeURIComponent(add[1]).replace(/\*/g, '.*')}$`);
      const matching = this.indices.filter((i) => pattern.test(i));
      if (matching.length === 0) return reply(404, { error: { type: 'index_not_found_exception', reason: 'no such index' }, status: 404 });
      const fresh = matching.filter((i) => !this.managed.has(i));
      fresh.forEach((i) => this.managed.add(i));
      const failed = matching.filter((i) => !fresh.includes(i)).map((i) => ({ index_name: i, reason: 'This index already has a policy, use the update policy API to update index policies' }));
      return reply(200, { updated_indices: fresh.length, failures: failed.length > 0, failed_indices: failed });
    }
    const template = url.pathname.match(/^\/_index_template\/([^/]+)$/);
    if (template && req.method === 'PUT') {
      if (this.failTemplate) return reply(400, { error: { type: 'mapper_parsing_exception', reason: 'No handler for type [flat_object] declared on field [app]' }, status: 400 });
      this.templates.set(template[1], JSON.parse(text));
      return reply(200, { acknowledged: true });
    }
    const mapping = url.pathname.match(/^\/_plugins\/_security\/api\/rolesmapping\/([^/]+)$/);
    if (mapping && req.method === 'PUT') {
      const existed = this.mappings.has(mapping[1]);
      this.mappings.set(mapping[1], JSON.parse(text));
      return reply(existed ? 200 : 201, { status: existed ? 'OK' : 'CREATED', message: `'${mapping[1]}' ${existed ? 'updated' : 'created'}.` });
    }
    return reply(400, { error: { type: 'illegal_argument_exception', reason: `no handler for ${req.method} ${url.pathname}` }, status: 400 });
  }
}

const READER = 'arn:aws:iam::123456789012:role/flask-app-log-readers';

describe('the domain setup custom resource', () => {
  const domain = new FakeDomain();
  let base = '';
  const env = () => ({ OPENSEARCH_URL: base, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
  const event = (requestType: 'Create' | 'Update' | 'Delete', retentionDays: number, readers = [READER]) => ({
    RequestType: requestType,
    ResponseURL: `${base}/cfn-response?X-Amz-Signature=abc`,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/flask-app-logs/1',
    RequestId: `req-${domain.responses.length}`,
    LogicalResourceId: 'DomainSetup',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'flask-app-domain-setup' }),
    ResourceProperties: { ServiceToken: 'arn:fn', IndexPrefix: 'flask-app', RetentionDays: String(retentionDays), ReaderRoleArns: readers },
  });
  const lastResponse = () => domain.responses[domain.responses.length - 1];
  const minAge = () => domain.policies.get('flask-app-retention')!.body.policy.states[0].transitions[0].conditions.min_index_age;

  beforeAll(async () => {
    base = await domain.start();
  });
  afterAll(() => domain.stop());

  test('first deploy: creates the retention policy and the template, maps the readers read-only, answers SUCCESS', async () => {
    await setup(event('Create', 30), env());
    expect(lastResponse()).toEqual({
      contentType: '',
      body: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'flask-app-domain-setup', RequestId: 'req-0', LogicalResourceId: 'DomainSetup' }),
    });
    expect(minAge()).toBe('30d');
    const policy = domain.policies.get('flask-app-retention')!.body.policy;
    expect(policy.states.map((s: { name: string }) => s.name)).toEqual(['hot', 'delete']);
    expect(policy.states[1].actions).toEqual([{ delete: {} }]);
    expect(policy.ism_template).toEqual([{ index_patterns: ['flask-app-*'], priority: 100 }]);
    const template = domain.templates.get('flask-app-logs');
    expect(template.index_patterns).toEqual(['flask-app-*']);
    expect(template.template.mappings).toMatchObject({ dynamic: false, properties: { 'app': { type: 'flat_object' }, '@timestamp': { type: 'date' } } });
    for (const role of READER_ROLES) expect(domain.mappings.get(role)).toEqual({ backend_roles: [READER] });
    expect([...domain.mappings.keys()]).not.toContain('all_access');
    expect(domain.unsigned).toBe(0);
  });

  test('a second deploy with a new retention meets the 409 and updates at the sequence number it read', async () => {
    domain.indices.push('flask-app-2026.11.30', 'flask-app-2026.12.01');
    domain.requests.length = 0;
    await setup(event('Update', 60), env());
    expect(lastResponse().body.Status).toBe('SUCCESS');
    expect(minAge()).toBe('60d');
    expect(domain.requests.slice(0, 3)).toEqual([
      'PUT /_plugins/_ism/policies/flask-app-retention',
      'GET /_plugins/_ism/policies/flask-app-retention',
      'PUT /_plugins/_ism/policies/flask-app-retention?if_seq_no=0&if_primary_term=1',
    ]);
    // Indices created before the policy existed are attached too.
    expect([...domain.managed]).toEqual(['flask-app-2026.11.30', 'flask-app-2026.12.01']);
  });

  test('a concurrent change between read and write is retried once with the new sequence number', async () => {
    domain.raceOnce = true;
    domain.requests.length = 0;
    await setup(event('Update', 90), env());
    expect(lastResponse().body.Status).toBe('SUCCESS');
    expect(minAge()).toBe('90d');
    expect(domain.requests.filter((r) => r.includes('if_seq_no'))).toEqual([
      'PUT /_plugins/_ism/policies/flask-app-retention?if_seq_no=1&if_primary_term=1',
      'PUT /_plugins/_ism/policies/flask-app-retention?if_seq_no=2&if_primary_term=1',
    ]);
  });

  test('a failing step answers FAILED with the step and the domain\'s reason', async () => {
    domain.failTemplate = true;
    await setup(event('Update', 90), env());
    domain.failTemplate = false;
    expect(lastResponse().body.Status).toBe('FAILED');
    expect(lastResponse().body.Reason).toMatch(/putting index template flask-app-logs failed with HTTP 400: .*flat_object/);
  });

  test('delete leaves the retained domain alone and still answers', async () => {
    domain.requests.length = 0;
    await setup(event('Delete', 90), env());
    expect(lastResponse().body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'flask-app-domain-setup' });
    expect(domain.requests).toEqual([]);
  });

  test('bad properties answer FAILED naming the property', async () => {
    await setup({ ...event('Update', 30), ResourceProperties: { IndexPrefix: 'flask-app', RetentionDays: 'thirty', ReaderRoleArns: [] } }, env());
    expect(lastResponse().body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/RetentionDays 'thirty' is not a whole number/) });
  });
});
