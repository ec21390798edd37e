import { seedOptions } from './fixtures';
import { SpecValidationError, normaliseServiceOptions } from '../../src/spec';

function problemsOf(input: unknown): string[] {
  try {
    normaliseServiceOptions(input);
    return [];
  } catch (e) {
    if (e instanceof SpecValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
}

describe('exporter releases: one source for version, folder, checksums file and program', () => {
  test('by default each comes from its project on GitHub', () => {
    const { releases, releasesMirror } = normaliseServiceOptions(seedOptions()).monitoring;
    expect(releasesMirror).toBeUndefined();
    expect(releases.nodeExporter).toEqual({
      name: 'node_exporter',
      project: 'https://github.com/prometheus/node_exporter',
      version: '1.8.2',
      url: 'https://github.com/prometheus/node_exporter/releases/download/v1.8.2',
      checksumsFile: 'sha256sums.txt',
      binary: 'node_exporter',
    });
    expect(releases.processExporter).toMatchObject({
      version: '0.8.3',
      url: 'https://github.com/ncabatoff/process-exporter/releases/download/v0.8.3',
      checksumsFile: 'checksums.txt',
      binary: 'process-exporter',
    });
  });

  test('a mirror serves <mirror>/<name>/v<version>; a trailing slash is dropped', () => {
    const spec = normaliseServiceOptions({ ...seedOptions(), monitoring: { releasesMirror: 'https://artifacts.example/exporters/', nodeExporterVersion: '1.9.0' } });
    expect(spec.monitoring.releasesMirror).toBe('https://artifacts.example/exporters');
    expect(spec.monitoring.releases.nodeExporter.url).toBe('https://artifacts.example/exporters/node_exporter/v1.9.0');
    expect(spec.monitoring.releases.processExporter.url).toBe('https://artifacts.example/exporters/process-exporter/v0.8.3');
  });

  test.each([
    ['s3://bucket/exporters'],
    ['https://artifacts.example/exporters?token=x'],
    ['artifacts.example/exporters'],
  ])('the mirror %s is refused with an example of a usable one', (mirror) => {
    expect(problemsOf({ ...seedOptions(), monitoring: { releasesMirror: mirror } })).toEqual([
      `service.monitoring.releasesMirror: '${mirror}' is not valid: expected an http(s) URL without query or fragment such as 'https://artifacts.example/exporters'`,
    ]);
  });
});
