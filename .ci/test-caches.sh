# Sourced by .ci/run: every cache a test uses starts empty, so CI never depends on state an earlier run
# left (a developer's own loop, without these variables, keeps reusing its caches). Removed on exit.
# shellcheck shell=bash
ci_scratch=$(mktemp -d "${TMPDIR:-/tmp}/slipway-ci.XXXXXX")
# shellcheck disable=SC2064 # expand now: the folder is fixed once made
trap "rm -rf '${ci_scratch}'" EXIT
# The test hosts' rootfs and work folders (test/hosts/support/rootfs.ts); absent until a test creates it.
export SLIPWAY_TEST_CACHE="${ci_scratch}/slipway-test"
# jest's transform cache and every mkdtemp(tmpdir()) of the suites.
export TMPDIR="${ci_scratch}/tmp"
# Tools that cache under XDG (the bench's stock project, pip, ...).
export XDG_CACHE_HOME="${ci_scratch}/xdg-cache"
mkdir -p "${TMPDIR}" "${XDG_CACHE_HOME}"
