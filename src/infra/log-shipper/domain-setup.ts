/**
 * What the domain needs before logs arrive, applied at every deploy by the
 * setup custom resource: an ISM policy that deletes daily indices after the
 * spec's retention, an index template whose mapping no application field can
 * break, and the log readers' IAM role mapped to read-only roles in
 * fine-grained access control. Every step is idempotent against the REST API
 * (OpenSearch answers 409 to a second create of a policy; the update names
 * the sequence number it replaces). The HTTP call is injected.
 */

export interface DomainRequest {
  readonly method: 'GET' | 'PUT' | 'POST';
  /** Path with query, e.g. '/_plugins/_ism/policies/x?if_seq_no=1&if_primary_term=1'. */
  readonly path: string;
  readonly body?: unknown;
}

export interface DomainResponse {
  readonly status: number;
  readonly body: string;
}

export type SendDomainRequest = (request: DomainRequest) => Promise<DomainResponse>;

export interface DomainSetupConfig {
  /** Daily indices are `<prefix>-YYYY.MM.DD`. */
  readonly indexPrefix: string;
  readonly retentionDays: number;
  /** IAM role ARNs mapped to the read-only roles (FGAC backend roles). */
  readonly readerRoleArns: readonly string[];
}

/**
 * The FGAC roles the readers get: `readall` (read every index, no writes or deletes) and `kibana_user`
 * (use Dashboards). Read-only on purpose: logs are evidence; deleting indices is the ISM policy's job.
 */
export const READER_ROLES = ['readall', 'kibana_user'] as const;

export const policyId = (c: DomainSetupConfig) => `${c.indexPrefix}-retention`;
export const templateName = (c: DomainSetupConfig) => `${c.indexPrefix}-logs`;

/** The ISM policy: hot until the index is retentionDays old, then delete; attached to new indices by ism_template. */
export function retentionPolicy(c: DomainSetupConfig): Record<string, unknown> {
  return {
    policy: {
      description: `Deletes ${c.indexPrefix} log indices ${c.retentionDays} days after creation (logs.retentionDays); managed by Slipway`,
      default_state: 'hot',
      states: [
        { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: `${c.retentionDays}d` } }] },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [`${c.indexPrefix}-*`], priority: 100 }],
    },
  };
}

/**
 * The index template: only the shipper's own fields are mapped; the application's parsed JSON sits under `app`
 * as a flat_object (every leaf a keyword-like string, so `status: 200` and `status: "ok"` never conflict), and
 * `dynamic: false` keeps any other field in _source without mapping it. No document can fail on a type conflict.
 */
export function indexTemplate(c: DomainSetupConfig): Record<string, unknown> {
  return {
    index_patterns: [`${c.indexPrefix}-*`],
    priority: 100,
    template: {
      mappings: {
        dynamic: false,
        properties: {
          '@timestamp': { type: 'date' },
          'message': { type: 'text' },
          'log_group': { type: 'keyword' },
          'log_stream': { type: 'keyword' },
          'aws_account': { type: 'keyword' },
          'app': { type: 'flat_object' },
        },
      },
    },
    _meta: { managed_by: 'slipway' },
  };
}

function fail(step: string, response: DomainResponse): never {
  throw new Error(`${step} failed with HTTP ${response.status}: ${response.body.slice(0, 300)}`);
}

const ok = (r: DomainResponse) => r.status >= 200 && r.status < 300;

/** Creates the policy, or replaces it at the sequence number it read (a concurrent change is retried once). */
async function putPolicy(send: SendDomainRequest, c: DomainSetupConfig): Promise<'created' | 'updated'> {
  const path = `/_plugins/_ism/policies/${encodeURIComponent(policyId(c))}`;
  const body = retentionPolicy(c);
  const created = await send({ method: 'PUT', path, body });
  if (ok(created)) return 'created';
  if (created.status !== 409) fail(`creating ISM policy ${policyId(c)}`, created);
  for (let attempt = 1; ; attempt++) {
    const current = await send({ method: 'GET', path });
    if (!ok(current)) fail(`reading ISM policy ${policyId(c)}`, current);
    const { _seq_no: seqNo, _primary_term: primaryTerm } = JSON.parse(current.body) as { _seq_no?: number; _primary_term?: number };
    if (typeof seqNo !== 'number' || typeof primaryTerm !== 'number') {
      throw new Error(`ISM policy ${policyId(c)} was returned without _seq_no/_primary_term, so it cannot be updated safely: ${current.body.slice(0, 200)}`);
    }
    const updated = await send({ method: 'PUT', path: `${path}?if_seq_no=${seqNo}&if_primary_term=${primaryTerm}`, body });
    if (ok(updated)) return 'updated';
    if (updated.status !== 409 || attempt >= 2) fail(`updating ISM policy ${policyId(c)}`, updated);
  }
}

export interface SetupResult {
  readonly policy: 'created' | 'updated';
  readonly steps: readonly string[];
}

export async function setUpDomain(send: SendDomainRequest, c: DomainSetupConfig): Promise<SetupResult> {
  if (!/^[a-z][a-z0-9-]*$/.test(c.indexPrefix)) throw new Error(`index prefix '${c.indexPrefix}' is not a lowercase index name`);
  if (!Number.isInteger(c.retentionDays) || c.retentionDays < 1) throw new Error(`retentionDays must be a whole number of days, got ${c.retentionDays}`);
  const steps: string[] = [];
  const policy = await putPolicy(send, c);
  steps.push(`ISM policy ${policyId(c)} ${policy}`);
  // ism_template only reaches indices created from now on; attach the policy to the ones that exist (already managed ones are reported, not changed).
  const attached = await send({ method: 'POST', path: `/_plugins/_ism/add/${c.indexPrefix}-*`, body: { policy_id: policyId(c) } });
  // 404: no index matches yet (the first deploy, before any log arrived).
  if (!ok(attached) && attached.status !== 404) fail(`attaching ISM policy ${policyId(c)} to existing indices`, attached);
  steps.push(`existing indices: ${attached.body.slice(0, 200)}`);
  const template = await send({ method: 'PUT', path: `/_index_template/${encodeURIComponent(templateName(c))}`, body: indexTemplate(c) });
  if (!ok(template)) fail(`putting index template ${templateName(c)}`, template);
  steps.push(`index template ${templateName(c)} put`);
  for (const role of READER_ROLES) {
    // PUT replaces the role's mapping: the spec is the one source of who reads the logs.
    const mapped = await send({ method: 'PUT', path: `/_plugins/_security/api/rolesmapping/${role}`, body: { backend_roles: [...c.readerRoleArns] } });
    if (!ok(mapped)) fail(`mapping the log readers to ${role}`, mapped);
    steps.push(`${role} mapped to ${c.readerRoleArns.length} role(s)`);
  }
  return { policy, steps };
}
