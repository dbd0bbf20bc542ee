// The frontend build: create-plugin's base configuration (.config/webpack)
// extended with what this repository adds to it.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'fs';
import { globSync } from 'glob';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';
import { readJson, ROOT_DIR, SOURCE_DIR } from './.config/webpack/paths';

// Nested plugins (src/datasource/plugin.json) name logos relative to their own
// folder; when that folder has none, the app's copy at the same path (img/ at
// the repository root) is used.
function nestedAssets() {
  const patterns = [];
  for (const manifest of globSync('*/**/plugin.json', { cwd: SOURCE_DIR })) {
    const dir = path.dirname(manifest);
    const info = readJson(path.join(SOURCE_DIR, manifest)).info || {};
    const assets = [info.logos?.small, info.logos?.large, ...(info.screenshots || []).map((s) => s.path)];
    for (const asset of new Set(assets.filter((p): p is string => Boolean(p)))) {
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

const config = (env: Env): Configuration => {
  const base = grafanaConfig(env);
  const patterns = nestedAssets();
  return patterns.length === 0 ? base : merge(base, { plugins: [new CopyWebpackPlugin({ patterns })] });
};

export default config;
