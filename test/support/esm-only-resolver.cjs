/**
 * jest resolves require() with the `require`/`default` export conditions; the
 * @actions/* packages (core v3, github v9, http-client, exec, io) export an
 * `import` condition only, so for them this adds `import` (swc then turns the
 * ES module into CommonJS, see `transform` in the jest config).
 * https://jestjs.io/docs/configuration#resolver-string
 */
module.exports = (request, options) => {
  if (!request.startsWith('@actions/')) return options.defaultResolver(request, options);
  return options.defaultResolver(request, { ...options, conditions: [...(options.conditions ?? []), 'import'] });
};
