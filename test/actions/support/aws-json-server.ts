/**
 * A local HTTP server speaking the AWS JSON 1.1 protocol (CodePipeline, ECR):
 * POST / with `X-Amz-Target: <Service>.<Operation>`, JSON in and out, errors
 * as 400 + `{"__type": ...}`. Lets a bundled action run end to end against
 * 127.0.0.1 through the SDK's own AWS_ENDPOINT_URL support.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';

export interface AwsCall {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly authorization?: string;
}

/** Throw this from a handler to answer with an AWS error. */
export class AwsErrorReply extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export type AwsHandler = (body: Record<string, unknown>) => object | Promise<object>;

export interface AwsJsonServer {
  readonly url: string;
  readonly calls: AwsCall[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startAwsJsonServer(handlers: Readonly<Record<string, AwsHandler>>): Promise<AwsJsonServer> {
  const calls: AwsCall[] = [];
  const reply = (res: ServerResponse, status: number, body: object): void => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      calls.push({ operation, body, authorization: req.headers.authorization });
      const handler = handlers[operation];
      if (!handler) {
        reply(res, 400, { __type: 'UnknownOperationException', message: `the test server has no handler for ${target}` });
        return;
      }
      try {
        reply(res, 200, await handler(body));
      } catch (e) {
        if (e instanceof AwsErrorReply) reply(res, e.status, { __type: e.type, message: e.message });
        else reply(res, 500, { __type: 'InternalFailure', message: String(e) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
