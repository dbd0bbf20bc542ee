// Where the plugin's sources and manifests live. The app manifest is the single
// root plugin.json (DESIGN.md); create-plugin's src/plugin.json is honoured too so
// a freshly scaffolded layout keeps building.
import fs from 'fs';
import { globSync } from 'glob';
import path from 'path';

export const ROOT_DIR = process.cwd();
export const SOURCE_DIR = path.join(ROOT_DIR, 'src');
export const DIST_DIR = path.join(ROOT_DIR, 'dist');

export type PluginJson = {
  id: string;
  info?: {
    logos?: { small?: string; large?: string };
    screenshots?: Array<{ path?: string }>;
  };
};

export function readJson<T = PluginJson>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function appPluginJsonPath(): string {
  const candidates = [path.join(SOURCE_DIR, 'plugin.json'), path.join(ROOT_DIR, 'plugin.json')];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error('plugin.json not found in src/ or the repository root: the build needs the app manifest');
  }
  return found;
}

// Every plugin.json under src/ with a sibling module.ts(x) becomes an entry:
// src/module.tsx -> dist/module.js, src/datasource/module.ts -> dist/datasource/module.js.
export function entries(): Record<string, string> {
  const result: Record<string, string> = {};
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
