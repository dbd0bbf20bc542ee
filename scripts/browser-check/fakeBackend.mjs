// The plugin backend's routes as the frontend calls them, answered from
// fixtures, so the browser check exercises real HTTP on 127.0.0.1.
import { readFileSync } from 'node:fs';

const RES = '/api/plugins/cloudobs-aiops-app/resources';
const MAX_BODY = 1 << 20;

export function loadFixtures(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) {
      throw new Error('body too large');
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * Returns a request handler for the API routes, or false when the path is not
 * an API route. `requests` records what the frontend sent, for assertions.
 */
export function fakeBackend(fixtures, { explainDelayMs = 1500 } = {}) {
  const requests = [];
  const handle = async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    if (!url.pathname.startsWith('/api/')) {
      return false;
    }
    let body;
    try {
      body = req.method === 'POST' ? await readJson(req) : undefined;
    } catch (err) {
      send(res, 400, { error: { status: 400, message: String(err.message) } });
      return true;
    }
    requests.push({ route, query: Object.fromEntries(url.searchParams), body });

    if (route === `POST ${RES}/explain`) {
      const alertname = body?.labels?.alertname;
      await new Promise((r) => setTimeout(r, explainDelayMs));
      const fixture = fixtures[alertname];
      if (!fixture) {
        send(res, 503, {
          error: {
            status: 503,
            message: `collecting evidence for ${alertname}: kubernetes API: the server could not find the requested resource`,
            requestId: 'req-7f3a9c',
          },
        });
        return true;
      }
      send(res, 200, { ...fixture, alert: body });
      return true;
    }
    if (route === `GET ${RES}/providers`) {
      send(res, 200, {
        providers: [
          { name: 'offline', configured: true, default: false },
          { name: 'openai', configured: true, default: true },
          { name: 'ollama', configured: true, default: false },
          { name: 'bedrock', configured: false, default: false },
        ],
      });
      return true;
    }
    if (route.startsWith(`POST ${RES}/explanations/`) && route.endsWith('/feedback')) {
      send(res, 200, { ok: true });
      return true;
    }
    if (route === `GET ${RES}/models`) {
      send(res, 200, { models: ['llama3:8b', 'llama3:70b', 'qwen2.5:7b'] });
      return true;
    }
    if (route === `GET ${RES}/health`) {
      send(res, 200, {
        status: 'failing',
        dependencies: [
          { name: 'llm (openai gpt-4o-mini)', status: 'ok', message: 'model answered', latencyMs: 412 },
          { name: 'prometheus', status: 'failing', message: 'GET /api/v1/status/buildinfo: 401 Unauthorized' },
          { name: 'kubernetes', status: 'ok', message: 'v1.31.2, 3 nodes', latencyMs: 35 },
          { name: 'loki', status: 'not_configured', message: 'no Loki URL; logs come from the Kubernetes API' },
        ],
      });
      return true;
    }
    if (route === 'POST /api/plugins/cloudobs-aiops-app/settings') {
      send(res, 200, { message: 'Plugin settings updated' });
      return true;
    }
    send(res, 404, { error: { status: 404, message: `no such route: ${route}` } });
    return true;
  };
  return { handle, requests };
}
