import { Component, javascript } from 'projen';

/**
 * npm 11's `allowScripts` policy in package.json: which dependencies may run install scripts
 * (https://docs.npmjs.com/cli/v11/commands/npm-install-scripts). Without a decision for each, every `npm ci` ends with a
 * list of unreviewed packages. Name-only entries, so a dependency upgrade does not bring the list back.
 */
export const INSTALL_SCRIPTS: Readonly<Record<string, boolean>> = {
  // postinstall checks the platform binary from its optional dependency and links it in place of the JS shim.
  'esbuild': true,
  // postinstall checks the native binding and falls back to the wasm build when the platform has none.
  '@swc/core': true,
  // jest-haste-map's watcher: its install script only compiles from source when npm_config_build_from_source
  // is set; the prebuilt binary comes from an optional dependency, so the script has nothing to do.
  '@parcel/watcher': false,
};

export class InstallScripts extends Component {
  constructor(project: javascript.NodeProject) {
    super(project);
    project.package.addField('allowScripts', { ...INSTALL_SCRIPTS });
  }
}
