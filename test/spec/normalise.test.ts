import { seedOptions, withNetwork, problemsOf } from './fixtures';
import { SpecValidationError, normaliseServiceOptions } from '../../src/spec';


describe('the seed options', () => {
  const spec = normaliseServiceOptions(seedOptions());

  test('derive every name from the service and stage names; the image repository is the service\'s alone', () => {
    expect(spec.names.vpc).toBe('vpc-flask-app-production');
    expect(spec.names.internetGateway).toBe('gateway-flask-app-production');
    expect(spec.names.publicRouteTable).toBe('flask-app-production-public-route');
    expect(spec.names.ecrRepository).toBe('flask-app');
    expect(spec.names.stacks.network).toBe('flask-app-production-network');
  });

  test('plan the four subnets over two AZs with AWS address counts', () => {
    expect(spec.network.subnets).toEqual([
      { name: 'public-subnet-a', tier: 'public', azIndex: 0, cidr: '192.168.0.0/24', totalAddresses: 256, usableAddresses: 251 },
      { name: 'public-subnet-b', tier: 'public', azIndex: 1, cidr: '192.168.1.0/24', totalAddresses: 256, usableAddresses: 251 },
      { name: 'private-subnet-a', tier: 'private', azIndex: 0, cidr: '192.168.2.0/24', totalAddresses: 256, usableAddresses: 251 },
      { name: 'private-subnet-b', tier: 'private', azIndex: 1, cidr: '192.168.3.0/24', totalAddresses: 256, usableAddresses: 251 },
    ]);
    expect(spec.network.totalAddresses).toBe(65536);
    expect(spec.network.availabilityZones).toEqual([
      { index: 0, letter: 'a' },
      { index: 1, letter: 'b' },
    ]);
  });

  test('resolve defaults once', () => {
    expect(spec.environment).toBe('production');
    // Protected only once the service has HTTPS (a certificate or a domain); the seed has neither.
    expect(spec.protectedEnvironment).toBe(false);
    expect(spec.platform).toBe('ecs-fargate');
    expect(spec.database).toBe('dynamodb');
    expect(spec.network.egress).toBe('none');
    expect(spec.network.adminCidr).toBeUndefined();
    expect(spec.container).toMatchObject({ port: 8000, healthCheckPath: '/health', cpu: 256, memoryMiB: 512, desiredCount: 2 });
    expect(spec.pipeline.stages).toEqual({ sonar: true, veracode: true, image: true, deploy: true });
    expect(spec.pipeline.sonar.projectKey).toBe('slipway-dev_flask-app');
    expect(spec.tags).toEqual({ 'slipway:service': 'flask-app', 'slipway:environment': 'production' });
  });

  test('is plain JSON (it is written to the spec file)', () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});

describe('CIDR validation names the option, the value and the fix', () => {
  test('a host address is rejected with the network address suggested', () => {
    const problems = problemsOf(withNetwork({ publicSubnets: ['192.168.0.1/24', '192.168.1.0/24'] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('service.network.publicSubnets[0]');
    expect(problems[0]).toContain("'192.168.0.1/24' is not a network address");
    expect(problems[0]).toContain("did you mean '192.168.0.0/24'?");
  });

  test('"192.168.0.1/24" and "192.168.0.2/24" are the same network: both host addresses are reported', () => {
    const problems = problemsOf(withNetwork({ publicSubnets: ['192.168.0.1/24', '192.168.0.2/24'] }));
    expect(problems.join('\n')).toContain("'192.168.0.1/24' is not a network address");
    expect(problems.join('\n')).toContain("'192.168.0.2/24' is not a network address");
    expect(problems.join('\n')).toContain("'192.168.0.0/24'");
  });

  test('a VPC host address suggests the network address', () => {
    const [problem] = problemsOf(withNetwork({ cidr: '192.168.1.0/16' }));
    expect(problem).toContain('service.network.cidr');
    expect(problem).toContain("'192.168.1.0/16'");
    expect(problem).toContain("'192.168.0.0/16'");
  });

  test.each([
    ['10.0.0.0/8', 'prefix /8'],
    ['10.0.0.0/29', 'prefix /29'],
  ])('a VPC prefix outside /16–/28 (%s) is rejected', (cidr, words) => {
    const problems = problemsOf(withNetwork({ cidr, publicSubnets: ['10.0.0.0/28', '10.0.0.16/28'], privateSubnets: ['10.0.0.32/28', '10.0.0.48/28'] }));
    const joined = problems.join('\n');
    expect(joined).toContain(`service.network.cidr: '${cidr}' has ${words}; AWS allows /16 to /28`);
  });

  test('a subnet prefix outside /16–/28 is rejected', () => {
    const [problem] = problemsOf(withNetwork({ privateSubnets: ['192.168.2.0/24', '192.168.3.0/30'] }));
    expect(problem).toBe("service.network.privateSubnets[1]: '192.168.3.0/30' has prefix /30; AWS allows /16 to /28 here");
  });

  test.each(['192.168.0/24', '192.168.300.0/24', 'banana', '192.168.0.0/99'])('a malformed CIDR %s is rejected', (bad) => {
    const [problem] = problemsOf(withNetwork({ publicSubnets: [bad, '192.168.1.0/24'] }));
    expect(problem).toContain('service.network.publicSubnets[0]');
    expect(problem).toContain(`'${bad}' is not a valid IPv4 CIDR`);
  });

  test('a subnet outside the VPC is rejected with a block inside it suggested', () => {
    const [problem] = problemsOf(withNetwork({ privateSubnets: ['192.168.2.0/24', '10.0.3.0/24'] }));
    expect(problem).toContain('service.network.privateSubnets[1]');
    expect(problem).toContain("'10.0.3.0/24' (private-subnet-b) is outside the VPC 192.168.0.0/16");
    expect(problem).toContain("e.g. '192.168.3.0/24'");
  });

  test('of two nested subnets the larger is blamed, naming the one it covers and a size that fits', () => {
    expect(problemsOf(withNetwork({ publicSubnets: ['192.168.0.0/23', '192.168.1.0/24'] }))).toEqual([
      "service.network.publicSubnets[0]: '192.168.0.0/23' (public-subnet-a) is a /23 and covers public-subnet-b '192.168.1.0/24'; " +
        "use a free /24 such as '192.168.0.0/24', the size of the other subnets",
    ]);
  });

  test('a public subnet as large as the VPC is the one named, once, with the size that fits', () => {
    const problems = problemsOf(withNetwork({ publicSubnets: ['192.168.0.0/16', '192.168.1.0/24'] }));
    expect(problems).toEqual([
      "service.network.publicSubnets[0]: '192.168.0.0/16' (public-subnet-a) is as large as the VPC 192.168.0.0/16 and covers " +
        "public-subnet-b '192.168.1.0/24', private-subnet-a '192.168.2.0/24', private-subnet-b '192.168.3.0/24'; " +
        "use a free /24 such as '192.168.0.0/24', the size of the other subnets",
    ]);
    // The suggestion is a real fix: the options with it pass.
    expect(normaliseServiceOptions(withNetwork({ publicSubnets: ['192.168.0.0/24', '192.168.1.0/24'] })).network.subnets).toHaveLength(4);
  });

  test('a public and a private list sharing a CIDR are both named', () => {
    const [problem] = problemsOf(withNetwork({ privateSubnets: ['192.168.1.0/24', '192.168.3.0/24'] }));
    expect(problem).toContain("service.network.privateSubnets[0]: '192.168.1.0/24' (private-subnet-a) is the same network as");
    expect(problem).toContain("service.network.publicSubnets[1] '192.168.1.0/24' (public-subnet-b)");
    expect(problem).toContain('a public and a private subnet cannot share a CIDR');
    expect(problem).toContain("use a free block such as '192.168.2.0/24'");
  });

  test('subnet count not matching the AZ count is rejected for each list', () => {
    const problems = problemsOf(withNetwork({ availabilityZones: 3 }));
    expect(problems).toEqual([
      expect.stringContaining('service.network.publicSubnets: 2 subnet(s) given (["192.168.0.0/24","192.168.1.0/24"]) but there are 3 availability zones'),
      expect.stringContaining('service.network.privateSubnets: 2 subnet(s) given'),
    ]);
  });

  test('an AZ count out of range names the value', () => {
    const problems = problemsOf(withNetwork({ availabilityZones: 1, publicSubnets: ['192.168.0.0/24'], privateSubnets: ['192.168.2.0/24'] }));
    expect(problems[0]).toBe('service.network.availabilityZones: 1 is out of range; use a whole number from 2 to 6');
  });

  test('pinned AZ names must be in the region, with the same letter in the right region as the fix', () => {
    expect(problemsOf(withNetwork({ availabilityZones: ['eu-west-1a', 'us-east-1b'] }))).toEqual([
      "service.network.availabilityZones[1]: 'us-east-1b' is in region 'us-east-1', not the service's region 'eu-west-1'; use 'eu-west-1b'",
    ]);
  });

  test('an AZ name whose region does not exist gets the nearest real one', () => {
    expect(problemsOf(withNetwork({ availabilityZones: ['eu-west-1a', 'eu-wset-1b'] }))).toEqual([
      "service.network.availabilityZones[1]: 'eu-wset-1b' is not an availability zone name (a region code followed by one letter); did you mean 'eu-west-1b'?",
    ]);
  });

  test('an AZ name needs its letter: the bare region is not an AZ', () => {
    expect(problemsOf(withNetwork({ availabilityZones: ['eu-west-1', 'eu-west-1b'] }))).toEqual([
      "service.network.availabilityZones[0]: 'eu-west-1' is not an availability zone name (a region code followed by one letter); did you mean 'eu-west-1a'?",
    ]);
  });

  test('an AZ ID is told apart from an AZ name', () => {
    expect(problemsOf(withNetwork({ availabilityZones: ['euw1-az1', 'eu-west-1b'] }))).toEqual([
      "service.network.availabilityZones[0]: 'euw1-az1' is an AZ ID; give the AZ name instead (the region code and a letter, e.g. 'eu-west-1a')",
    ]);
  });

  test('a Local Zone is told apart from an AZ', () => {
    expect(problemsOf({ ...(withNetwork({ availabilityZones: ['us-west-2a', 'us-west-2-lax-1a'] }) as object), region: 'us-west-2' })).toEqual([
      "service.network.availabilityZones[1]: 'us-west-2-lax-1a' is a Local or Wavelength Zone of 'us-west-2', not an availability zone; use an AZ such as 'us-west-2a'",
    ]);
  });

  test('pinned AZ names in the region pass', () => {
    const spec = normaliseServiceOptions(withNetwork({ availabilityZones: ['eu-west-1a', 'eu-west-1c'] }));
    expect(spec.network.availabilityZones.map((az) => az.name)).toEqual(['eu-west-1a', 'eu-west-1c']);
  });

  test("an admin CIDR of the whole internet is refused as Slipway's policy, pointing at SSM", () => {
    const problems = problemsOf(withNetwork({ adminCidr: '0.0.0.0/0' }));
    expect(problems).toEqual([
      "service.network.adminCidr: '0.0.0.0/0' would open SSH (port 22) to the whole internet, which Slipway's policy forbids (at most a /8). " +
        'The hosts are managed over SSM Session Manager by default, which needs no SSH and no open port: ' +
        "remove adminCidr, or set it to your admin network, e.g. '203.0.113.0/24'",
    ]);
    expect(problems[0]).not.toContain('AWS allows');
  });

  test('an admin CIDR wider than /8 names the address count', () => {
    expect(problemsOf(withNetwork({ adminCidr: '10.0.0.0/7' }))[0]).toContain("'10.0.0.0/7' would open SSH (port 22) to 33,554,432 addresses");
  });

  test('an admin network of /8 or narrower passes', () => {
    expect(normaliseServiceOptions(withNetwork({ adminCidr: '10.0.0.0/8' })).network.adminCidr).toBe('10.0.0.0/8');
  });

  test('the admin CIDR must be a network address too', () => {
    const [problem] = problemsOf(withNetwork({ adminCidr: '203.0.113.7/24' }));
    expect(problem).toContain("service.network.adminCidr: '203.0.113.7/24' is not a network address");
    expect(problem).toContain("'203.0.113.0/24'");
  });

  test('flow log retention must be a CloudWatch value', () => {
    const [problem] = problemsOf(withNetwork({ flowLogRetentionDays: 45 }));
    expect(problem).toContain('service.network.flowLogRetentionDays: 45 is not allowed; use one of 1, 3, 5');
  });
});

describe('service name', () => {
  test.each(['Flask-App', 'flask_app', '-flask', 'flask-', '9flask', ''])('%p is not a lowercase DNS label', (name) => {
    const [problem] = problemsOf({ ...seedOptions(), serviceName: name });
    expect(problem).toContain(`service.serviceName: '${name}' is not a lowercase DNS label`);
  });

  test('an uppercase name gets a lowercase suggestion', () => {
    const [problem] = problemsOf({ ...seedOptions(), serviceName: 'Flask_App' });
    expect(problem).toContain("(e.g. 'flask-app')");
  });

  test('a name too long for the derived names with its stage says which name and the limit', () => {
    const name = 'a-very-long-service';
    const [problem] = problemsOf({ ...seedOptions(), serviceName: name });
    expect(problem).toContain(`service.serviceName: service '${name}' with stage 'production' is too long`);
    expect(problem).toContain(`the OpenSearch domain name '${name}-production' would be ${name.length + 11} characters (limit 28)`);
    expect(problem).toContain('Use a service name of at most 17 characters with this stage, or a shorter stage name');
  });

  test("the longest accepted name with the stage 'production' is 17 characters", () => {
    expect(() => normaliseServiceOptions({ ...seedOptions(), serviceName: 'a'.repeat(17) })).not.toThrow();
    expect(() => normaliseServiceOptions({ ...seedOptions(), serviceName: 'a'.repeat(18) })).toThrow(/at most 17 characters/);
  });
});

describe('unknown options are never ignored', () => {
  test('a typo at the top level suggests the right key', () => {
    const [problem] = problemsOf({ ...seedOptions(), servceName: 'x' });
    expect(problem).toBe("service.servceName: unknown option 'servceName' (value 'x'); did you mean 'serviceName'?");
  });

  test('a typo inside network suggests the right key', () => {
    const [problem] = problemsOf(withNetwork({ privateSubnet: ['192.168.9.0/24'] }));
    expect(problem).toContain("service.network.privateSubnet: unknown option 'privateSubnet'");
    expect(problem).toContain("did you mean 'privateSubnets'?");
  });

  test('a key with no near match lists the valid ones', () => {
    const [problem] = problemsOf({ ...seedOptions(), container: { zzz: 1 } });
    expect(problem).toContain("service.container.zzz: unknown option 'zzz' (value 1); valid options are: port, healthCheckPath");
  });

  test('an enum typo suggests the value', () => {
    const [problem] = problemsOf({ ...seedOptions(), platform: 'ecs-fargat' });
    expect(problem).toBe("service.platform: 'ecs-fargat' is not one of 'ecs-fargate', 'eks' (did you mean 'ecs-fargate'?)");
  });
});

describe('other options', () => {
  test('an invalid Fargate CPU/memory pair lists the valid memory sizes', () => {
    const [problem] = problemsOf({ ...seedOptions(), container: { cpu: 256, memoryMiB: 4096 } });
    expect(problem).toBe('service.container.memoryMiB: 4096 MiB is not a valid Fargate size for 256 CPU units; use one of 512, 1024, 2048');
  });

  test('a malformed region, account and GitHub owner are each reported', () => {
    const problems = problemsOf({ ...seedOptions(), region: 'Ireland', account: '1234', github: { owner: '-bad-', repo: 'ok' } });
    expect(problems).toEqual([
      "service.region: 'Ireland' is not an AWS region; use a region aws-cdk-lib knows (aws-cdk-lib/region-info), e.g. 'eu-west-1'; " +
        'a region launched after the installed aws-cdk-lib release needs a newer aws-cdk-lib',
      expect.stringContaining("service.account: '1234' is not valid: expected a 12-digit AWS account id"),
      expect.stringContaining("service.github.owner: '-bad-' is not valid"),
    ]);
  });

  test('dockerhub without a repository says what to add', () => {
    const [problem] = problemsOf({ ...seedOptions(), pipeline: { registry: 'dockerhub' } });
    expect(problem).toContain("service.pipeline.dockerHubRepository: registry is 'dockerhub' but no repository is set");
  });

  test('deploy without the image stage is rejected', () => {
    const [problem] = problemsOf({ ...seedOptions(), pipeline: { stages: { image: false } } });
    expect(problem).toContain('service.pipeline.stages.deploy: deploy needs the image stage');
  });

  test('OpenSearch nodes must spread evenly over the AZs', () => {
    const [problem] = problemsOf({ ...seedOptions(), logs: { openSearchDataNodes: 3 } });
    expect(problem).toBe('service.logs.openSearchDataNodes: 3 data nodes cannot be spread evenly over 2 AZs (zone awareness); use a multiple of 2');
  });

  test('exporters may not share a port', () => {
    const [problem] = problemsOf({ ...seedOptions(), monitoring: { processExporterPort: 9100 } });
    expect(problem).toContain('service.monitoring.processExporterPort: 9100 is also the node_exporter port');
  });

  test('a non-object input is reported, not thrown as a TypeError', () => {
    expect(problemsOf(undefined)).toEqual([
      "service: is required but not set; add it, e.g. service: { serviceName: 'flask-app', region: 'eu-west-1', network: { … }, github: { owner: 'my-org' } }",
    ]);
    expect(problemsOf(null)).toEqual(['service: expected an object, got null']);
  });
});

describe('every problem is reported at once', () => {
  test('five mistakes give five problems in one error', () => {
    let error: unknown;
    try {
      normaliseServiceOptions({
        ...seedOptions(),
        serviceName: 'Bad Name',
        region: 'nowhere',
        network: { ...seedOptions().network, cidr: '192.168.0.1/16', privateSubnets: ['192.168.2.0/24', '192.168.2.0/24'] },
        databse: 'dynamodb',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Slipway found 5 problems in the service options \(\.projenrc\.ts\); nothing was written:/);
    for (const fragment of ["'Bad Name'", "'nowhere'", "'192.168.0.1/16'", "'192.168.2.0/24' (private-subnet-b) is the same network as", "'databse'"]) {
      expect(message).toContain(fragment);
    }
  });
});

describe('variants', () => {
  test('three AZs with pinned names', () => {
    const spec = normaliseServiceOptions(
      withNetwork({
        cidr: '10.20.0.0/20',
        availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        publicSubnets: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'],
        privateSubnets: ['10.20.8.0/23', '10.20.10.0/23', '10.20.12.0/23'],
      }),
    );
    expect(spec.network.availabilityZones.map((az) => az.name)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(spec.network.subnets.map((s) => `${s.name}=${s.cidr}:${s.usableAddresses}`)).toEqual([
      'public-subnet-a=10.20.0.0/24:251',
      'public-subnet-b=10.20.1.0/24:251',
      'public-subnet-c=10.20.2.0/24:251',
      'private-subnet-a=10.20.8.0/23:507',
      'private-subnet-b=10.20.10.0/23:507',
      'private-subnet-c=10.20.12.0/23:507',
    ]);
  });
});

describe('regions are checked against the facts aws-cdk-lib ships', () => {
  test('a misspelt region is rejected with the real one suggested', () => {
    expect(problemsOf({ ...seedOptions(), region: 'eu-westt-1' })).toEqual(["service.region: 'eu-westt-1' is not an AWS region; did you mean 'eu-west-1'?"]);
  });

  test('a region of the right shape that does not exist is rejected', () => {
    expect(problemsOf({ ...seedOptions(), region: 'eu-west-9' })[0]).toBe("service.region: 'eu-west-9' is not an AWS region; did you mean 'eu-west-1'?");
  });

  test('regions outside the commercial partition that the old pattern refused pass', () => {
    for (const region of ['eusc-de-east-1', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-7']) {
      expect(normaliseServiceOptions({ ...seedOptions(), region }).region).toBe(region);
    }
  });

  test('AZ names are checked even when the region itself was rejected', () => {
    const problems = problemsOf({ ...withNetwork({ availabilityZones: ['eu-west-1a', 'eu-wset-1b'] }) as object, region: 'eu-westt-1' });
    expect(problems).toEqual([
      "service.region: 'eu-westt-1' is not an AWS region; did you mean 'eu-west-1'?",
      "service.network.availabilityZones[1]: 'eu-wset-1b' is not an availability zone name (a region code followed by one letter); did you mean 'eu-west-1b'?",
    ]);
  });
});

describe('a missing required option says it is required and shows an example', () => {
  const without = (key: string): unknown => Object.fromEntries(Object.entries(seedOptions()).filter(([k]) => k !== key));

  test.each([
    ['serviceName', "service.serviceName: is required but not set; add it, e.g. serviceName: 'flask-app' (a lowercase DNS label; every resource name derives from it)"],
    ['region', "service.region: is required but not set; add it, e.g. region: 'eu-west-1'"],
    ['github', "service.github: is required but not set; add it, e.g. github: { owner: 'my-org' }"],
  ])('%s', (key, message) => {
    const problems = problemsOf(without(key));
    expect(problems).toEqual([message]);
    expect(problems[0]).not.toContain('undefined');
  });

  test('network, and each required network option, with examples carved from the VPC', () => {
    expect(problemsOf(without('network'))[0]).toBe(
      "service.network: is required but not set; add it, e.g. network: { cidr: '192.168.0.0/16', availabilityZones: 2, " +
        "publicSubnets: ['192.168.0.0/24', '192.168.1.0/24'], privateSubnets: ['192.168.2.0/24', '192.168.3.0/24'] }",
    );
    expect(problemsOf(withNetwork({ cidr: undefined }))).toEqual([
      "service.network.cidr: is required but not set; add it, e.g. cidr: '192.168.0.0/16' (the VPC's IPv4 block, /16 to /28)",
    ]);
    expect(problemsOf(withNetwork({ cidr: '10.40.0.0/16', publicSubnets: undefined, privateSubnets: ['10.40.2.0/24', '10.40.3.0/24'] }))).toEqual([
      "service.network.publicSubnets: is required but not set; add it, e.g. publicSubnets: ['10.40.0.0/24', '10.40.1.0/24'] (one public subnet per availability zone)",
    ]);
    expect(problemsOf(withNetwork({ availabilityZones: undefined }))).toEqual([
      "service.network.availabilityZones: is required but not set; add it, e.g. availabilityZones: 2 (a count from 2 to 6), or names such as ['eu-west-1a', 'eu-west-1b']",
    ]);
  });

  test('github.owner', () => {
    expect(problemsOf({ ...seedOptions(), github: {} })).toEqual(["service.github.owner: is required but not set; add it, e.g. owner: 'my-org'"]);
  });
});

describe('hosts.count', () => {
  test('0 is allowed: a service with no EC2 hosts', () => {
    expect(normaliseServiceOptions({ ...seedOptions(), hosts: { count: 0 } }).hosts.count).toBe(0);
  });

  test('a negative count names the range, 0 included', () => {
    expect(problemsOf({ ...seedOptions(), hosts: { count: -1 } })).toEqual(['service.hosts.count: -1 is out of range; use a whole number from 0 to 50']);
  });
});

describe('a required string left out of a list is named as missing, not "got undefined"', () => {
  test('a hole in github.branches', () => {
    expect(problemsOf({ ...seedOptions(), github: { owner: 'slipway-dev', branches: ['main', undefined] } })).toEqual([
      "service.github.branches[1]: is required but not set; add a branch name such as 'main'",
    ]);
  });
});
