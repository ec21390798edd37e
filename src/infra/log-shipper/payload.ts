/**
 * Decodes the payload CloudWatch Logs hands a subscribed Lambda: base64 of a
 * gzipped JSON document. Pure: bytes in, typed data out, or an error that
 * says which part of the payload was wrong.
 */
import { gunzipSync } from 'zlib';

export interface LogEvent {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
}

export interface LogsData {
  /** DATA_MESSAGE carries events; CONTROL_MESSAGE is CloudWatch checking the destination is reachable. */
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly LogEvent[];
}

/** The event a CloudWatch Logs subscription delivers to Lambda. */
export interface CloudWatchLogsEvent {
  readonly awslogs: { readonly data: string };
}

export function decodeSubscriptionEvent(event: unknown): LogsData {
  const data = (event as CloudWatchLogsEvent | null)?.awslogs?.data;
  if (typeof data !== 'string') {
    throw new Error('the event has no awslogs.data string: this function only accepts CloudWatch Logs subscription events');
  }
  return decodePayload(data);
}

export function decodePayload(base64: string): LogsData {
  let json: string;
  try {
    json = gunzipSync(Buffer.from(base64, 'base64')).toString('utf8');
  } catch (e) {
    throw new Error(`awslogs.data is not base64 of gzip data (${(e as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`awslogs.data unzipped to something that is not JSON (${(e as Error).message})`);
  }
  return validate(parsed);
}

function validate(value: unknown): LogsData {
  const o = value as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') throw new Error('the subscription payload is not a JSON object');
  const messageType = o.messageType;
  if (messageType !== 'DATA_MESSAGE' && messageType !== 'CONTROL_MESSAGE') {
    throw new Error(`the subscription payload has messageType ${JSON.stringify(messageType)}; expected DATA_MESSAGE or CONTROL_MESSAGE`);
  }
  for (const key of ['owner', 'logGroup', 'logStream'] as const) {
    if (typeof o[key] !== 'string') throw new Error(`the subscription payload has no string '${key}'`);
  }
  if (!Array.isArray(o.logEvents)) throw new Error("the subscription payload has no 'logEvents' list");
  const logEvents = o.logEvents.map((e: unknown, i: number): LogEvent => {
    const ev = e as Record<string, unknown> | null;
    if (!ev || typeof ev.id !== 'string' || typeof ev.timestamp !== 'number' || typeof ev.message !== 'string') {
      throw new Error(`logEvents[${i}] needs a string id, a numeric timestamp and a string message; got ${JSON.stringify(e)}`);
    }
    return { id: ev.id, timestamp: ev.timestamp, message: ev.message };
  });
  return {
    messageType,
    owner: o.owner as string,
    logGroup: o.logGroup as string,
    logStream: o.logStream as string,
    subscriptionFilters: Array.isArray(o.subscriptionFilters) ? o.subscriptionFilters.map(String) : [],
    logEvents,
  };
}
