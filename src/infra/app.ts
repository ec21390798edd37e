import { App } from 'aws-cdk-lib';
import type { ServiceSpec } from '../spec';

/** Adds every stack of the service to the app. One stack per lifecycle. */
export function buildApp(app: App, spec: ServiceSpec): void {
  void app;
  void spec;
}
