/** The ca-certificate input: PEM text, checked, written to a private temp file for the scanner process. */
import { X509Certificate } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InputError } from '../../shared/errors';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in the PEM text, validated; an input with none or a broken one is an error. */
export function parseCaCertificates(pem: string): string[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new InputError('ca-certificate', "input 'ca-certificate' holds no PEM certificate; paste the CA's certificate including the '-----BEGIN CERTIFICATE-----' and '-----END CERTIFICATE-----' lines.");
  }
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new InputError('ca-certificate', `input 'ca-certificate': certificate #${i + 1} is not a valid X.509 certificate (${(error as Error).message}).`);
    }
  });
  return blocks;
}

/** Writes the certificates to `<dir>/ca.pem` (mode 0600) in a fresh directory under `tempRoot`. */
export function writeCaFile(certificates: readonly string[], tempRoot = tmpdir()): string {
  const dir = mkdtempSync(join(tempRoot, 'sonar-ca-'));
  const path = join(dir, 'ca.pem');
  writeFileSync(path, `${certificates.join('\n')}\n`, { mode: 0o600 });
  return path;
}
