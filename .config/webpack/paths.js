// Where the plugin's sources and manifests live. The app manifest is the single
// root plugin.json (DESIGN.md); create-plugin's src/plugin.json is honoured too so
// a freshly scaffolded layout keeps building.
const fs = require('fs');
const path = require('path');
const { globSync } = require('glob');

const ROOT_DIR = process.cwd();
const SOURCE_DIR = path.join(ROOT_DIR, 'src');
const DIST_DIR = path.join(ROOT_DIR, 'dist');

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function appPluginJsonPath() {
  const candidates = [path.join(SOURCE_DIR, 'plugin.json'), path.join(ROOT_DIR, 'plugin.json')];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error('plugin.json not found in src/ or the repository root: the build needs the app manifest');
  }
  return found;
}

// Every plugin.json under src/ with a sibling module.ts(x) becomes an entry:
// src/module.tsx -> dist/module.js, src/datasource/module.ts -> dist/datasource/module.js.
function entries() {
  const result = {};
  for (const module of globSync('**/module.{ts,tsx}', { cwd: SOURCE_DIR, absolute: true })) {
    const dir = path.dirname(module);
    const relative = path.relative(SOURCE_DIR, dir);
    const isApp = relative === '';
    if (!isApp && !fs.existsSync(path.join(dir, 'plugin.json'))) {
      continue;
    }
    result[isApp ? 'module' : `${relative}/module`] = module;
  }
  return result;
}

module.exports = { ROOT_DIR, SOURCE_DIR, DIST_DIR, readJson, appPluginJsonPath, entries };
