/**
 * The exporter releases the hosts run: where each project publishes them, the
 * checksums file it publishes beside them and the program inside. One source
 * for the Ansible group variables, the driver and the test fixtures. Pure.
 */

export interface ExporterProduct {
  /** The release's name in its file names and in a mirror's layout, e.g. 'node_exporter'. */
  readonly name: string;
  /** The project's GitHub releases: <project>/releases/download/v<version>/<file>. */
  readonly project: string;
  /** The checksums file each release publishes (sha256 of every artifact). */
  readonly checksumsFile: string;
  /** The program inside the tarball's single directory. */
  readonly binary: string;
}

export const NODE_EXPORTER_PRODUCT: ExporterProduct = {
  name: 'node_exporter',
  project: 'https://github.com/prometheus/node_exporter',
  checksumsFile: 'sha256sums.txt',
  binary: 'node_exporter',
};

export const PROCESS_EXPORTER_PRODUCT: ExporterProduct = {
  name: 'process-exporter',
  project: 'https://github.com/ncabatoff/process-exporter',
  // process-exporter's releases are built by goreleaser, which names the file checksums.txt.
  checksumsFile: 'checksums.txt',
  binary: 'process-exporter',
};

/** A release as the controller fetches it. */
export interface ExporterRelease extends ExporterProduct {
  readonly version: string;
  /** The folder holding the tarball and the checksums file. */
  readonly url: string;
}

/** The release folder: the project's GitHub release, or `<mirror>/<name>/v<version>` on a mirror. */
export function exporterRelease(product: ExporterProduct, version: string, mirror: string | undefined): ExporterRelease {
  const url = mirror === undefined ? `${product.project}/releases/download/v${version}` : `${mirror}/${product.name}/v${version}`;
  return { ...product, version, url };
}
