#!/bin/sh
# Builds plotly-wcc-$VERSION.min.js here: plotly.js with only the trace types the charts draw
# (leaguetable/charts/figures.py), so a phone parses a third less JavaScript than the official
# cartesian bundle. Run by `make plotly-bundle`, never by `make demo` or `make test`: the output
# is committed. Needs node, npm and the npm registry; works in a temporary folder, removed after.
# The build follows plotly.js's own (its esbuild-config.js and CUSTOM_BUNDLE.md): esbuild with the
# same plugins and options, minified. See VENDORED.md for the commands' record and checksums.
set -eu

VERSION=4.1.1
TARBALL_SHA256=601a93ad96b7b533deb02f8d1e01928b1e675b8eec1941c828aa46b18e7942b9
# The trace types registered; tests/leaguetable/test_charts.py reads this line and checks every
# trace type a figure uses is here. scatter is in plotly's core anyway; it is named to say so.
TRACES="scatter bar box"
BUILD_TOOLS="esbuild@0.28.2 esbuild-plugin-environment@0.5.0 esbuild-plugin-inline-css@0.0.1"

here=$(cd "$(dirname "$0")" && pwd)
out="plotly-wcc-$VERSION.min.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "plotly.js@$VERSION" >/dev/null
echo "$TARBALL_SHA256  plotly.js-$VERSION.tgz" | sha256sum -c -
tar xzf "plotly.js-$VERSION.tgz"
# plotly.js's runtime dependencies (its package ships no lockfile: npm resolves its ranges, so a
# later build may take newer patch releases and differ in its checksum); no install scripts run.
(cd package && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
# The build tools in a folder of their own, at the versions plotly.js 4.1.1 builds with.
mkdir tools
(cd tools && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error $BUILD_TOOLS)

{
  echo "'use strict';"
  echo "var Plotly = require('./core');"
  echo "Plotly.register(["
  for trace in $TRACES; do echo "    require('./$trace'),"; done
  echo "]);"
  echo "module.exports = Plotly;"
} > package/lib/index-wcc.js

cat > tools/build.js <<JS
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
esbuild.build({
    entryPoints: ['package/lib/index-wcc.js'],
    outfile: 'package/dist/$out',
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    // The licence and version stay at the top, as in plotly.js's own bundles.
    banner: { js: '/**\n* plotly.js (wcc: $TRACES - minified) v$VERSION\n* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/' },
    plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
    alias: { stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
}).catch(() => process.exit(1));
JS
node tools/build.js

cp "package/dist/$out" "$here/$out"
cp package/LICENSE "$here/LICENSE"
cd "$here" && sha256sum "$out" && wc -c "$out"
