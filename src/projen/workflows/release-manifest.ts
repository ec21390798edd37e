/**
 * The release manifest: what one build released, written once (the release job) and read by every stage's
 * deploy, in this run or (rollback.yml) in a later one. It names the image by digest, never by tag, the commit,
 * and the cloud assembly's artifact and SHA-256, so a stage deploys exactly what was built and a rollback
 * deploys exactly what an earlier run released. The scripts are bash with jq and coreutils (both on GitHub's
 * ubuntu images): the deploy job needs no Node.js set-up to read them. Values reach them through env only.
 */
import { ARTIFACTS } from './steps';

/** The manifest's shape; bump it when a field changes meaning, and teach the reader the old one. */
export const RELEASE_MANIFEST_SCHEMA = 1;

/** What the release manifest holds (release-manifest.json). */
export interface ReleaseManifest {
  readonly schemaVersion: typeof RELEASE_MANIFEST_SCHEMA;
  readonly service: string;
  /** `uri` is `<registry>/<repository>@sha256:…`, what every stage deploys; `tag` is the tagged name it was pushed as. */
  readonly image: { readonly uri: string; readonly tag: string; readonly digest: string };
  readonly commit: string;
  readonly ref: string;
  readonly run: { readonly id: string; readonly attempt: string };
  readonly assembly: { readonly artifact: string; readonly file: string; readonly sha256: string };
  /** The stages the build's assembly has stacks for, in promotion order. */
  readonly stages: readonly string[];
}

/** The step output names the read script sets, which the deploy step passes on. */
export const RELEASE_OUTPUTS = { imageUri: 'image-uri', commitSha: 'commit-sha', runId: 'run-id' } as const;

const FAIL = 'fail() { echo "::error title=$1::$2"; exit 1; }';

/**
 * Writes the manifest. env: SERVICE, IMAGE_TAG_URI (registry/repository:tag, the image job's image-uri),
 * IMAGE_DIGEST (its digest), COMMIT_SHA, REF, RUN_ID, RUN_ATTEMPT, STAGES (space-separated, in order).
 */
export function writeReleaseManifestScript(): string {
  const { cloudAssembly, releaseManifest } = ARTIFACTS;
  return [
    'set -euo pipefail',
    FAIL,
    '[[ "${IMAGE_DIGEST}" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "No image digest" "the image job\'s digest output is \'${IMAGE_DIGEST}\', not sha256:<64 hex digits>; re-run the image job"',
    // A tag follows the last ':' after the last '/'; a registry port (host:5000/…) comes before a '/'.
    '[[ "${IMAGE_TAG_URI##*/}" == *:* ]] || fail "No image tag" "the image job\'s image-uri \'${IMAGE_TAG_URI}\' is not <registry>/<repository>:<tag>"',
    'repository="${IMAGE_TAG_URI%:*}"',
    `[ -f ${cloudAssembly.path} ] || fail "No cloud assembly" "${cloudAssembly.path} was not downloaded from artifact ${cloudAssembly.name}"`,
    `assembly_sha256="$(sha256sum ${cloudAssembly.path} | cut -d ' ' -f 1)"`,
    'jq -n \\',
    `  --argjson schema ${RELEASE_MANIFEST_SCHEMA} --arg service "\${SERVICE}" \\`,
    '  --arg uri "${repository}@${IMAGE_DIGEST}" --arg tag "${IMAGE_TAG_URI}" --arg digest "${IMAGE_DIGEST}" \\',
    '  --arg commit "${COMMIT_SHA}" --arg ref "${REF}" --arg run_id "${RUN_ID}" --arg run_attempt "${RUN_ATTEMPT}" \\',
    `  --arg artifact ${cloudAssembly.name} --arg file ${cloudAssembly.path} --arg sha256 "\${assembly_sha256}" \\`,
    '  --arg stages "${STAGES}" \\',
    "  '{schemaVersion: $schema, service: $service, image: {uri: $uri, tag: $tag, digest: $digest}, commit: $commit, ref: $ref,",
    '    run: {id: $run_id, attempt: $run_attempt}, assembly: {artifact: $artifact, file: $file, sha256: $sha256},',
    `    stages: ($stages | split(" ") | map(select(. != "")))}' > ${releaseManifest.path}`,
    `cat ${releaseManifest.path}`,
    '{',
    '  echo "### Release ${COMMIT_SHA:0:12}"',
    '  echo ""',
    '  echo "- image: \\`${repository}@${IMAGE_DIGEST}\\` (pushed as \\`${IMAGE_TAG_URI}\\`)"',
    `  echo "- cloud assembly: artifact \\\`${cloudAssembly.name}\\\`, sha256 \\\`\${assembly_sha256}\\\`"`,
    '  echo "- promoted through: ${STAGES// / → }"',
    '  echo "- roll a stage back to this release: run rollback.yml with run id \\`${RUN_ID}\\`"',
    '} >> "${GITHUB_STEP_SUMMARY}"',
  ].join('\n');
}

/**
 * Reads and checks the manifest next to the downloaded assembly, then sets the step outputs the deploy passes
 * on. Fails, saying what to do, when the manifest is unreadable, names no digest, lacks this stage, or the
 * assembly is not the one it describes. env: STAGE, SOURCE_RUN (the run the release came from).
 */
export function readReleaseManifestScript(): string {
  const { cloudAssembly, releaseManifest } = ARTIFACTS;
  const m = releaseManifest.path;
  return [
    'set -euo pipefail',
    FAIL,
    `[ -f ${m} ] || fail "No release manifest" "run \${SOURCE_RUN} has no ${m} (artifact ${releaseManifest.name}); its release job did not finish: deploy a run whose release job succeeded"`,
    `jq -e . ${m} >/dev/null 2>&1 || fail "Unreadable release manifest" "${m} of run \${SOURCE_RUN} is not JSON"`,
    `schema="$(jq -r '.schemaVersion' ${m})"`,
    `[ "\${schema}" = "${RELEASE_MANIFEST_SCHEMA}" ] || fail "Unknown release manifest" "${m} of run \${SOURCE_RUN} has schemaVersion \${schema}; this workflow reads ${RELEASE_MANIFEST_SCHEMA}: deploy it with the workflow of the commit that built it"`,
    `image="$(jq -r '.image.uri // ""' ${m})"`,
    `[[ "\${image}" =~ ^[^@[:space:]]+@sha256:[0-9a-f]{64}$ ]] || fail "No image digest" "${m} of run \${SOURCE_RUN} names image '\${image}', not <repository>@sha256:<digest>"`,
    `commit="$(jq -r '.commit // ""' ${m})"`,
    `[[ "\${commit}" =~ ^[0-9a-f]{40}$ ]] || fail "No commit" "${m} of run \${SOURCE_RUN} names commit '\${commit}', not a 40-hex SHA"`,
    `jq -e --arg stage "\${STAGE}" '.stages | index($stage) != null' ${m} >/dev/null ||`,
    `  fail "Stage not in this release" "run \${SOURCE_RUN} built no stacks for stage \${STAGE} (its stages: $(jq -r '.stages | join(", ")' ${m})): deploy a run built after \${STAGE} was added"`,
    `[ -f ${cloudAssembly.path} ] || fail "No cloud assembly" "run \${SOURCE_RUN} has no ${cloudAssembly.path} (artifact ${cloudAssembly.name})"`,
    `expected="$(jq -r '.assembly.sha256 // ""' ${m})"`,
    `actual="$(sha256sum ${cloudAssembly.path} | cut -d ' ' -f 1)"`,
    `[ "\${expected}" = "\${actual}" ] || fail "Cloud assembly does not match the release" "${cloudAssembly.path} has sha256 \${actual}; the release manifest of run \${SOURCE_RUN} says \${expected}: both must come from the same run"`,
    '{',
    `  echo "${RELEASE_OUTPUTS.imageUri}=\${image}"`,
    `  echo "${RELEASE_OUTPUTS.commitSha}=\${commit}"`,
    `  echo "${RELEASE_OUTPUTS.runId}=$(jq -r '.run.id' ${m})"`,
    '} >> "${GITHUB_OUTPUT}"',
    'echo "deploying to ${STAGE}: ${image}, commit ${commit}, assembly sha256 ${actual}"',
    'echo "Deploying to \\`${STAGE}\\` the release of run ${SOURCE_RUN}: commit \\`${commit:0:12}\\`, image \\`${image}\\`" >> "${GITHUB_STEP_SUMMARY}"',
  ].join('\n');
}
