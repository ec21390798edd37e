/**
 * A local HTTP server speaking the GitHub REST endpoints our actions use, as
 * documented: issue comments (list with `per_page`/`page` and a `Link`
 * header, create, update) and deployments (create, list by environment,
 * statuses create/list). Requests need `Authorization: token <token>`;
 * `readOnly` answers writes 403 the way a fork's token is refused.
 * https://docs.github.com/en/rest/issues/comments
 * https://docs.github.com/en/rest/deployments/deployments
 * https://docs.github.com/en/rest/deployments/statuses
 */
import { IncomingMessage, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';

export interface Comment { id: number; body: string; user: { login: string; type: string }; html_url: string }
export interface Deployment {
  id: number;
  ref: string;
  environment: string;
  payload: unknown;
  description: string | null;
  production_environment: boolean;
  transient_environment: boolean;
  created_at: string;
}
export interface DeploymentStatus {
  id: number;
  state: string;
  log_url?: string;
  environment_url?: string;
  description?: string;
  auto_inactive?: boolean;
  created_at: string;
}

export interface RecordedRequest { readonly method: string; readonly path: string; readonly body?: Record<string, unknown> }

export interface GitHubApiServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Issue number → its comments, oldest first. */
  readonly comments: Map<number, Comment[]>;
  readonly deployments: Deployment[];
  /** Deployment id → its statuses, oldest first. */
  readonly statuses: Map<number, DeploymentStatus[]>;
  /** Answer every write with 403, as for a read-only token. */
  readOnly: boolean;
  /** Answer the next n requests with HTTP 502. */
  failNext: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) as Record<string, unknown> : undefined;
}

export async function startGitHubApiServer(options: { token?: string; owner?: string; repo?: string } = {}): Promise<GitHubApiServer> {
  const token = options.token ?? 'ghs_test_token';
  const base = `/repos/${options.owner ?? 'slipway-dev'}/${options.repo ?? 'flask-app'}`;
  let nextId = 1000;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = (): string => new Date(clock += 1000).toISOString();
  const state = {
    requests: [] as RecordedRequest[],
    comments: new Map<number, Comment[]>(),
    deployments: [] as Deployment[],
    statuses: new Map<number, DeploymentStatus[]>(),
    readOnly: false,
    failNext: 0,
  };
  let address = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  /** One page of `items` and the Link header GitHub sends with it. */
  const page = (res: ServerResponse, url: URL, items: readonly unknown[]): void => {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const number = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((number - 1) * perPage, number * perPage);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string): string => {
      const u = new URL(`${url.pathname}${url.search}`, address);
      u.searchParams.set('page', String(n));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links = number < last ? [link(number + 1, 'next'), link(last, 'last')] : [];
    send(res, 200, slice, links.length > 0 ? { link: links.join(', ') } : {});
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const body = await readJson(req);
    state.requests.push({ method, path: `${url.pathname}${url.search}`, body });
    if (req.headers.authorization !== `token ${token}`) return send(res, 401, { message: 'Bad credentials' });
    if (state.failNext > 0) {
      state.failNext--;
      return send(res, 502, { message: 'Server Error' });
    }
    if (state.readOnly && method !== 'GET') return send(res, 403, { message: 'Resource not accessible by integration' });
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(url.pathname))) {
      const list = state.comments.get(Number(m[1])) ?? [];
      if (method === 'GET') return page(res, url, list);
      if (method === 'POST') {
        const comment: Comment = { id: nextId++, body: String(body?.body), user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: '' };
        comment.html_url = `https://github.com${base.slice(6)}/pull/${m[1]}#issuecomment-${comment.id}`;
        state.comments.set(Number(m[1]), [...list, comment]);
        return send(res, 201, comment);
      }
    }
    if ((m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(url.pathname)) && method === 'PATCH') {
      const comment = [...state.comments.values()].flat().find((c) => c.id === Number(m![1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      comment.body = String(body?.body);
      return send(res, 200, comment);
    }
    if (url.pathname === `${base}/deployments`) {
      if (method === 'POST') {
        const environment = String(body?.environment ?? 'production');
        const deployment: Deployment = {
          id: nextId++,
          ref: String(body?.ref),
          environment,
          payload: body?.payload ?? {},
          description: (body?.description as string) ?? null,
          production_environment: (body?.production_environment as boolean | undefined) ?? environment === 'production',
          transient_environment: (body?.transient_environment as boolean | undefined) ?? false,
          created_at: now(),
        };
        state.deployments.push(deployment);
        return send(res, 201, deployment);
      }
      const environment = url.searchParams.get('environment');
      // Newest first, as GitHub lists them.
      return page(res, url, [...state.deployments].reverse().filter((d) => !environment || d.environment === environment));
    }
    if ((m = new RegExp(`^${base}/deployments/(\\d+)/statuses$`).exec(url.pathname))) {
      const id = Number(m[1]);
      const deployment = state.deployments.find((d) => d.id === id);
      if (!deployment) return send(res, 404, { message: 'Not Found' });
      const list = state.statuses.get(id) ?? [];
      if (method === 'GET') return page(res, url, [...list].reverse());
      const status: DeploymentStatus = { id: nextId++, state: String(body?.state), created_at: now() };
      for (const key of ['log_url', 'environment_url', 'description', 'auto_inactive'] as const) {
        if (body?.[key] !== undefined) (status as unknown as Record<string, unknown>)[key] = body[key];
      }
      // auto_inactive (default true): a success marks earlier successful deployments of the same
      // environment inactive, unless they are transient or production ones.
      if (status.state === 'success' && status.auto_inactive !== false) {
        const earlier = state.deployments.filter((d) => d.id !== id && d.environment === deployment.environment);
        for (const other of earlier.filter((d) => !d.transient_environment && !d.production_environment)) {
          const theirs = state.statuses.get(other.id) ?? [];
          if (theirs.at(-1)?.state === 'success') theirs.push({ id: nextId++, state: 'inactive', created_at: now() });
        }
      }
      state.statuses.set(id, [...list, status]);
      return send(res, 201, status);
    }
    return send(res, 404, { message: `Not Found: ${method} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => send(res, 500, { message: (e as Error).message }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url: address,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
