/**
 * The two SonarQube/SonarCloud Web API calls the gate needs: api/ce/task
 * (the analysis' background task) and api/qualitygates/project_status.
 * Redirects are followed; the token is sent only to the configured server's
 * origin, never to a host a redirect points elsewhere. Authentication is
 * `Bearer <token>`, falling back once to basic auth with the token as login
 * for SonarQube servers older than 10.0.
 */
import { ActionError } from '../../shared/errors';
import { HttpResponse, HttpSend, HttpStatusError, sendFollowingRedirects, snippet } from '../../shared/http';

export const CE_ACTIVE = ['PENDING', 'IN_PROGRESS'] as const;
export const CE_FAILED = ['FAILED', 'CANCELED'] as const;
export const CE_SUCCESS = 'SUCCESS';

export interface CeTask {
  readonly id: string;
  readonly status: string;
  readonly analysisId?: string;
  readonly errorMessage?: string;
}

export interface GateCondition {
  readonly status: string;
  readonly metricKey: string;
  readonly comparator: string;
  readonly errorThreshold?: string;
  readonly actualValue?: string;
}

export interface ProjectStatus {
  readonly status: string;
  readonly conditions: readonly GateCondition[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function parseCeTask(value: unknown, id: string): CeTask {
  const task = isObject(value) && isObject(value.task) ? value.task : undefined;
  if (!task || typeof task.status !== 'string') {
    throw new ActionError(`api/ce/task?id=${id} answered without task.status: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return { id: str(task.id) ?? id, status: task.status, analysisId: str(task.analysisId), errorMessage: str(task.errorMessage) };
}

export function parseProjectStatus(value: unknown, analysisId: string): ProjectStatus {
  const ps = isObject(value) && isObject(value.projectStatus) ? value.projectStatus : undefined;
  if (!ps || typeof ps.status !== 'string') {
    throw new ActionError(`api/qualitygates/project_status?analysisId=${analysisId} answered without projectStatus.status: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  const conditions = Array.isArray(ps.conditions) ? ps.conditions.filter(isObject) : [];
  return {
    status: ps.status,
    conditions: conditions.map((c) => ({
      status: str(c.status) ?? 'UNKNOWN',
      metricKey: str(c.metricKey) ?? '(unknown metric)',
      comparator: str(c.comparator) ?? '?',
      errorThreshold: str(c.errorThreshold),
      actualValue: str(c.actualValue),
    })),
  };
}

export class SonarApi {
  private readonly base: URL;
  /** Bearer (SonarCloud, SonarQube 10+) until a server shows it only takes basic auth. */
  private scheme: 'bearer' | 'basic' = 'bearer';

  constructor(
    /** The server the token belongs to, e.g. https://sonarcloud.io or https://sonar.example.com/sonar. */
    hostUrl: string,
    private readonly token: string,
    private readonly send: HttpSend,
  ) {
    this.base = new URL(hostUrl.endsWith('/') ? hostUrl : `${hostUrl}/`);
  }

  async ceTask(id: string): Promise<CeTask> {
    return parseCeTask(await this.getJson('api/ce/task', { id }), id);
  }

  async projectStatus(analysisId: string): Promise<ProjectStatus> {
    return parseProjectStatus(await this.getJson('api/qualitygates/project_status', { analysisId }), analysisId);
  }

  private async getJson(path: string, query: Record<string, string>): Promise<unknown> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const get = (authorization: string): Promise<HttpResponse> =>
      sendFollowingRedirects(this.send, { method: 'GET', url }, {
        headersFor: (_, u) => ({ accept: 'application/json', ...(u.origin === this.base.origin ? { authorization } : {}) }),
      });
    let response = await get(this.scheme === 'basic' ? this.basic() : `Bearer ${this.token}`);
    // SonarQube before 10.0 knows only the token as a basic-auth login; try that once, then keep to it.
    if (response.status === 401 && this.scheme === 'bearer' && response.url.origin === this.base.origin) {
      const retry = await get(this.basic());
      if (retry.status !== 401) {
        this.scheme = 'basic';
        response = retry;
      }
    }
    return this.checked(response, `${path}?${url.searchParams.toString()}`);
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.token}:`, 'utf8').toString('base64')}`;
  }

  private checked(response: HttpResponse, what: string): unknown {
    const detail = snippet(response.body);
    if ((response.status === 401 || response.status === 403) && response.url.origin !== this.base.origin) {
      throw new HttpStatusError(
        'GET', response.url, response.status, detail,
        `${what}: ${this.base.origin} redirected to ${response.url.origin}, which answered HTTP ${response.status}; the token is only sent to host-url's own origin. ` +
          `If the server has moved, set host-url to ${response.url.origin}.`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new HttpStatusError(
        'GET', response.url, response.status, detail,
        `${what} on ${this.base.origin} answered HTTP ${response.status}: the Sonar token was refused` +
          `${response.status === 403 ? ' or lacks permission for this project (it needs Browse on the project)' : ' (missing, expired or revoked)'}. ` +
          'Set the token input or SONAR_TOKEN to a valid token for this server.',
      );
    }
    if (response.status < 200 || response.status >= 300) {
      throw new HttpStatusError('GET', response.url, response.status, detail, `${what} on ${this.base.origin} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    try {
      return JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new ActionError(`${what} on ${this.base.origin} answered HTTP ${response.status} with a body that is not JSON: ${detail || '(empty)'}`);
    }
  }
}
