/*
 * The base build in @grafana/create-plugin's layout: .config/ holds the
 * tool-shaped configuration (this file, paths.ts, externals.ts, tsconfig,
 * jest, eslint) and the repository extends it from the root files
 * (webpack.config.ts, tsconfig.json, jest.config.js, eslint.config.mjs), as
 * https://grafana.com/developers/plugin-tools/how-to-guides/extend-configurations
 * describes. Keep repository-specific additions in the root webpack.config.ts.
 *
 * It builds the app and its nested data source as AMD modules in dist/, copies
 * the manifests and their assets beside them and fills in %VERSION%, %TODAY%
 * and %PLUGIN_ID%. Loaded through ts-node (tsconfig "ts-node": transpile only).
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'fs';
import path from 'path';
import ReplaceInFileWebpackPlugin from 'replace-in-file-webpack-plugin';
import TerserPlugin from 'terser-webpack-plugin';
import webpack, { type Configuration } from 'webpack';
import VirtualModulesPlugin from 'webpack-virtual-modules';

import { externals } from './externals';
import { appPluginJsonPath, DIST_DIR, entries, readJson, ROOT_DIR, SOURCE_DIR } from './paths';

export type Env = { production?: boolean; development?: boolean };

const config = (env: Env = {}): Configuration => {
  const production = Boolean(env.production);
  const pluginJsonPath = appPluginJsonPath();
  const pluginJson = readJson(pluginJsonPath);
  const version = readJson<{ version: string }>(path.join(ROOT_DIR, 'package.json')).version;
  const logos = [...new Set([pluginJson.info?.logos?.large, pluginJson.info?.logos?.small])].filter((p): p is string =>
    Boolean(p)
  );
  const screenshots = (pluginJson.info?.screenshots || []).map((s) => s.path).filter((p): p is string => Boolean(p));
  // Asset paths in the manifest are relative to the manifest itself.
  const manifestDir = path.dirname(pluginJsonPath);
  const optional = (from: string, to: string) => ({ from: path.join(ROOT_DIR, from), to, noErrorOnMissing: true });

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
      buildDependencies: {
        config: [__filename, path.join(__dirname, 'paths.ts'), path.join(__dirname, 'externals.ts')],
      },
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
            format: {
              comments: (_: unknown, { type, value }: { type: string; value: string }) =>
                type === 'comment2' && value.trim().startsWith('[create-plugin]'),
            },
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

export default config;
