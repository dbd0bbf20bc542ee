// Build of the app and its nested data source in the create-plugin conventions:
// AMD modules in dist/, manifests and assets copied beside them, %VERSION% and
// %TODAY% filled in. Plain CommonJS so it runs on Node 20 without ts-node.
const CopyWebpackPlugin = require('copy-webpack-plugin');
const path = require('path');
const ReplaceInFileWebpackPlugin = require('replace-in-file-webpack-plugin');
const TerserPlugin = require('terser-webpack-plugin');
const webpack = require('webpack');
const VirtualModulesPlugin = require('webpack-virtual-modules');
const fs = require('fs');

const { externals } = require('./externals');
const { ROOT_DIR, SOURCE_DIR, DIST_DIR, readJson, appPluginJsonPath, entries } = require('./paths');

// Nested plugins (src/datasource/plugin.json) name logos relative to their own
// folder; when that folder has none, the app's copy at the same path is used.
function nestedAssets() {
  const { globSync } = require('glob');
  const patterns = [];
  for (const manifest of globSync('*/**/plugin.json', { cwd: SOURCE_DIR })) {
    const dir = path.dirname(manifest);
    const info = readJson(path.join(SOURCE_DIR, manifest)).info || {};
    const assets = [info.logos?.small, info.logos?.large, ...(info.screenshots || []).map((s) => s.path)];
    for (const asset of new Set(assets.filter(Boolean))) {
      const own = path.join(SOURCE_DIR, dir, asset);
      patterns.push({
        from: fs.existsSync(own) ? own : path.join(ROOT_DIR, asset),
        to: path.join(dir, asset),
        noErrorOnMissing: true,
      });
    }
  }
  return patterns;
}

module.exports = (env = {}) => {
  const production = Boolean(env.production);
  const pluginJsonPath = appPluginJsonPath();
  const pluginJson = readJson(pluginJsonPath);
  const version = readJson(path.join(ROOT_DIR, 'package.json')).version;
  const logos = [...new Set([pluginJson.info?.logos?.large, pluginJson.info?.logos?.small])].filter(Boolean);
  const screenshots = (pluginJson.info?.screenshots || []).map((s) => s.path).filter(Boolean);
  // Asset paths in the manifest are relative to the manifest itself.
  const manifestDir = path.dirname(pluginJsonPath);
  const optional = (from, to) => ({ from: path.join(ROOT_DIR, from), to, noErrorOnMissing: true });

  const publicPath = new VirtualModulesPlugin({
    'node_modules/grafana-public-path.js': `
import amdMetaModule from 'amd-module';
__webpack_public_path__ =
  amdMetaModule && amdMetaModule.uri
    ? amdMetaModule.uri.slice(0, amdMetaModule.uri.lastIndexOf('/') + 1)
    : 'public/plugins/${pluginJson.id}/';
`,
  });

  return {
    cache: {
      type: 'filesystem',
      buildDependencies: { config: [__filename, path.join(__dirname, 'paths.js'), path.join(__dirname, 'externals.js')] },
    },
    context: SOURCE_DIR,
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: entries(),
    externals,
    mode: production ? 'production' : 'development',
    module: {
      rules: [
        {
          test: /src\/(?:.*\/)?module\.tsx?$/,
          use: [{ loader: 'imports-loader', options: { imports: 'side-effects grafana-public-path' } }],
        },
        {
          exclude: /node_modules/,
          test: /\.[tj]sx?$/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                baseUrl: SOURCE_DIR,
                target: 'es2015',
                loose: false,
                parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        {
          test: /\.(png|jpe?g|gif|svg)$/,
          type: 'asset/resource',
          generator: { filename: production ? '[hash][ext]' : '[file]' },
        },
      ],
    },
    optimization: {
      minimize: production,
      minimizer: [
        new TerserPlugin({
          terserOptions: {
            format: { comments: (_, { type, value }) => type === 'comment2' && value.trim().startsWith('[create-plugin]') },
            compress: { drop_console: ['log', 'info'] },
          },
        }),
      ],
    },
    output: {
      // The Go build writes gpx_* executables into dist/ separately: keep them.
      clean: { keep: /(^|\/)(gpx_[^/]*|go_plugin_build_manifest)$/ },
      filename: '[name].js',
      chunkFilename: production ? '[name].js?_cache=[contenthash]' : '[name].js',
      library: { type: 'amd' },
      path: DIST_DIR,
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
      crossOriginLoading: 'anonymous',
    },
    plugins: [
      publicPath,
      new webpack.BannerPlugin({
        banner: `/* [create-plugin] plugin: ${pluginJson.id}@${version} */`,
        raw: true,
        entryOnly: true,
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: pluginJsonPath, to: 'plugin.json' },
          // Nested plugins' manifests (src/datasource/plugin.json) and their assets.
          { from: '**/plugin.json', to: '.', globOptions: { ignore: ['plugin.json'] }, noErrorOnMissing: true },
          { from: '**/img/**/*', to: '.', noErrorOnMissing: true },
          fs.existsSync(path.join(SOURCE_DIR, 'README.md'))
            ? { from: 'README.md', to: '.' }
            : optional('README.md', '.'),
          optional('CHANGELOG.md', '.'),
          optional('LICENSE', '.'),
          ...nestedAssets(),
          ...[...logos, ...screenshots].map((asset) => ({
            from: path.join(manifestDir, asset),
            to: asset,
            noErrorOnMissing: true,
          })),
        ],
      }),
      new ReplaceInFileWebpackPlugin([
        {
          dir: DIST_DIR,
          test: [/(^|\/)plugin\.json$/, /(^|\/)README\.md$/],
          rules: [
            { search: /%VERSION%/g, replace: version },
            { search: /%TODAY%/g, replace: new Date().toISOString().substring(0, 10) },
            { search: /%PLUGIN_ID%/g, replace: pluginJson.id },
          ],
        },
      ]),
    ],
    resolve: {
      extensions: ['.js', '.jsx', '.ts', '.tsx'],
      modules: [SOURCE_DIR, 'node_modules'],
      unsafeCache: true,
    },
  };
};
