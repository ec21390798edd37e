/**
 * The one file a service team edits for platform concerns. Change the values
 * below, run `npx projen`, and every generated file follows. The values shown
 * are the seed's defaults, spelled out so you can see what to edit.
 */
import { SlipwayProject } from './src/projen';

const project = new SlipwayProject({
  service: {
    serviceName: 'flask-app',
    region: 'eu-west-1',
    // Every build is promoted through these in order: the same image and cloud assembly deploy to staging,
    // then (once staging succeeded) to production. What a stage does not set comes from the options below it.
    stages: [
      {
        name: 'staging',
        // Its own VPC, not overlapping production's: two stages may share an account and region.
        network: {
          cidr: '172.20.0.0/16',
          publicSubnets: ['172.20.0.0/24', '172.20.1.0/24'],
          privateSubnets: ['172.20.2.0/24', '172.20.3.0/24'],
        },
        hosts: { count: 1 },
        container: { desiredCount: 1 },
      },
      {
        name: 'production',
        // Protected (GitHub Environment approval, a CodePipeline approval showing the change, HTTPS only, ALB
        // deletion protection) needs a certificate: set container.domain (a Route 53 public zone; the certificate
        // is issued by DNS validation) or container.certificateArn, then protected: true (the default once either is set).
        protected: false,
      },
    ],
    // The network every stage has unless it sets its own: here, production's.
    network: {
      cidr: '192.168.0.0/16',
      availabilityZones: 2,
      publicSubnets: ['192.168.0.0/24', '192.168.1.0/24'],
      privateSubnets: ['192.168.2.0/24', '192.168.3.0/24'],
      egress: 'none',
    },
    hosts: { count: 2, instanceType: 't3.small', rootVolumeGiB: 20 },
    platform: 'ecs-fargate',
    container: { port: 8000, healthCheckPath: '/health', cpu: 256, memoryMiB: 512, desiredCount: 2 },
    database: 'dynamodb',
    // Who is told when an alarm fires; a protected environment requires someone. Use your on-call address.
    alarms: { email: 'oncall@example.com' },
    // The repository defaults to the service name; set `repo` when they differ.
    github: { owner: 'slipway-dev', branches: ['main'] },
    pipeline: { registry: 'ecr' },
    monitoring: { processNames: ['gunicorn'] },
  },
});

project.synth();
