// Browser check: bundles a harness page with the plugin's real components,
// serves it with a fake backend on a free 127.0.0.1 port, drives Debian's
// headless Chromium through playwright-core, asserts what the user sees and
// saves screenshots (light and dark) to test-results/screenshots/.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { fakeBackend, loadFixtures } from './fakeBackend.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const outDir = join(root, 'test-results', 'browser-check');
const shotDir = join(root, 'test-results', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function fail(message) {
  console.error(`browser check FAILED: ${message}`);
  process.exitCode = 1;
}

async function bundle() {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { harness: join(here, 'harness.tsx') },
    bundle: true,
    outdir: outDir,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.svg': 'dataurl', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'dataurl' },
  });
}

function serve(backend) {
  const files = {
    '/': ['text/html', join(here, 'index.html')],
    '/harness.js': ['text/javascript', join(outDir, 'harness.js')],
    '/harness.css': ['text/css', join(outDir, 'harness.css')],
  };
  const server = createServer(async (req, res) => {
    try {
      if (await backend.handle(req, res)) {
        return;
      }
      const path = new URL(req.url, 'http://127.0.0.1').pathname;
      const file = files[path];
      if (file && existsSync(file[1])) {
        res.writeHead(200, { 'Content-Type': file[0] });
        res.end(readFileSync(file[1]));
        return;
      }
      // Icons Grafana would serve from public/img: an empty SVG keeps the console clean.
      if (path.endsWith('.svg')) {
        res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
        res.end('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"></svg>');
        return;
      }
      // Grafana's fonts in public/: absent here, the system font stands in.
      if (path.startsWith('/public/fonts/')) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404).end();
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  return new Promise((resolvePort) => server.listen(0, '127.0.0.1', () => resolvePort(server)));
}

const CASES = [
  { alertname: 'KubePodCrashLooping', category: 'OOMKilled', expect: 'OOMKilled: memory grows to the 128Mi limit' },
  {
    alertname: 'PaymentErrors',
    category: 'DependencyFailure',
    expect: 'cannot reach its database',
    partial: 'prometheus',
  },
  { alertname: 'KubePodNotReady', category: 'ImagePull', expect: 'does not exist in the registry' },
  { alertname: 'Watchdog', category: 'Unknown', expect: 'No cause found', empty: true },
  { alertname: 'BackendDown', error: 'the server could not find the requested resource' },
];

async function checkTheme(context, base, theme, saved, backend) {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: theme });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on(
    'console',
    (msg) => msg.type() === 'error' && !msg.text().startsWith('Failed to load resource') && pageErrors.push(msg.text())
  );
  // Only the deliberately failing explanation may answer with an error status.
  page.on('response', (res) => {
    if (res.status() >= 400 && !(res.status() === 503 && new URL(res.url()).pathname.endsWith('/explain'))) {
      pageErrors.push(`${res.status()} ${res.url()}`);
    }
  });

  await page.goto(`${base}/?theme=${theme}`);
  await page.getByRole('heading', { name: 'Alert instances' }).waitFor();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = theme === 'dark';
  const [r, g, b] = background.match(/\d+/g).map(Number);
  if (dark !== r + g + b < 384) {
    fail(`${theme} theme: body background ${background} does not match the theme`);
  }

  for (const c of CASES) {
    const before = backend.requests.length;
    await page.locator(`button[data-alertname="${c.alertname}"]`).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText(`Explain: ${c.alertname}`).waitFor();
    if (c.alertname === 'KubePodCrashLooping') {
      await drawer.getByTestId('aiops-progress').waitFor();
      const shot = join(shotDir, `progress-${theme}.png`);
      await page.screenshot({ path: shot });
      saved.push(shot);
    }
    if (c.error) {
      const error = drawer.getByTestId('aiops-error');
      await error.waitFor({ timeout: 20000 });
      const text = await error.innerText();
      if (!text.includes(c.error) || !text.includes('HTTP 503') || !text.includes('req-7f3a9c')) {
        fail(`${c.alertname}: error state misses the message, status or request id: ${text}`);
      }
    } else {
      const summary = drawer.getByTestId('aiops-summary');
      await summary.waitFor({ timeout: 20000 });
      const text = await summary.innerText();
      if (!text.includes(c.expect)) {
        fail(`${c.alertname}: summary "${text}" lacks "${c.expect}"`);
      }
      const rootCause = await drawer.getByTestId('aiops-root-cause').innerText();
      if (!rootCause.includes(c.category)) {
        fail(`${c.alertname}: root cause "${rootCause}" lacks category ${c.category}`);
      }
      if (c.partial && !(await drawer.getByText('Partial explanation: some sources failed').isVisible())) {
        fail(`${c.alertname}: the degraded source is not shown`);
      }
      if (c.empty && !(await drawer.getByText('No evidence of a cause').isVisible())) {
        fail(`${c.alertname}: the empty state is not shown`);
      }
    }
    const post = backend.requests.slice(before).find((r) => r.route.endsWith('/explain'));
    if (!post || post.body?.labels?.alertname !== c.alertname || post.body?.startsAt !== '2026-11-20T10:00:00.000Z') {
      fail(`${c.alertname}: POST /explain did not carry the normalised alert context: ${JSON.stringify(post?.body)}`);
    }
    const name = c.category ? `explain-${c.category}-${theme}.png` : `explain-error-${theme}.png`;
    const shot = join(shotDir, name);
    await page.screenshot({ path: shot });
    saved.push(shot);
    if (c.category === 'OOMKilled') {
      const full = join(shotDir, `explain-${c.category}-${theme}-drawer-full.png`);
      await drawer.screenshot({ path: full });
      saved.push(full);
      await drawer.getByRole('button', { name: 'Helpful', exact: true }).click();
      await drawer.getByText('Thanks, your feedback was recorded.').waitFor();
    }
    // Keyboard: Escape closes the drawer.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  }

  await page.goto(`${base}/?theme=${theme}&view=config`);
  await page.getByRole('radio', { name: 'OpenAI-compatible' }).waitFor();
  const apiKey = page.getByLabel('API key');
  if ((await apiKey.inputValue()) !== 'configured') {
    fail(`${theme} config: the stored API key is not shown as configured`);
  }
  await page.getByRole('button', { name: 'Save & test' }).click();
  const deps = page.getByRole('list', { name: 'Dependencies' });
  await deps.waitFor();
  const depsText = await deps.innerText();
  for (const want of ['OK', 'Failing', 'Not configured', '401 Unauthorized']) {
    if (!depsText.includes(want)) {
      fail(`${theme} config: dependency list lacks "${want}": ${depsText}`);
    }
  }
  const shot = join(shotDir, `config-${theme}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  saved.push(shot);

  await page.close();
  if (pageErrors.length) {
    fail(`${theme}: errors in the page:\n  ${[...new Set(pageErrors)].join('\n  ')}`);
  }
}

async function main() {
  if (!existsSync(chromiumPath)) {
    const message = `SKIP: chromium not installed at ${chromiumPath} (apt-get install chromium)`;
    if (process.env.CI === 'true') {
      fail(message);
      return;
    }
    console.warn(`\n!!! ${message} !!!\n`);
    return;
  }
  const started = Date.now();
  await bundle();
  mkdirSync(shotDir, { recursive: true });
  const backend = fakeBackend(loadFixtures(join(here, 'fixtures.json')));
  const server = await serve(backend);
  const base = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'aiops-chromium-'));
  // playwright-core manages the profile directory itself (--user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const saved = [];
  try {
    for (const theme of ['light', 'dark']) {
      await checkTheme(context, base, theme, saved, backend);
    }
  } catch (err) {
    fail(err.stack || String(err));
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(
    `browser check: ${CASES.length} alerts x 2 themes + config page in ${((Date.now() - started) / 1000).toFixed(1)}s`
  );
  console.log('screenshots:');
  for (const file of saved) {
    console.log(`  ${file}`);
  }
  if (!process.exitCode) {
    console.log('browser check PASSED');
  }
}

await main();
