// Issue 14 item 9: README.md's HTTP API table lists every route the API serves, and only those.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { REPO_ROOT } from '../../config';
import { createLogger } from '../../logging/logger';

/** Every "METHOD path" the app serves, from the router stack (nested routers included). */
function routesOf(app: ReturnType<typeof createApp>): string[] {
  const found: string[] = [];
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: [] } }[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (Array.isArray(layer.handle?.stack)) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: [] } }).router.stack);
  return found;
}

test('README.md documents every route of the API, and no route that does not exist', () => {
  // Building the app registers the routes; nothing is called.
  const deps = {
    logger: createLogger('silent'),
    config: { TEMPORAL_TASK_QUEUE: 'q' },
    temporal: { connection: {}, options: { namespace: 'default' } },
    tiktok: { publicBaseUrl: 'http://localhost' },
  } as unknown as ApiDeps;
  const routes = routesOf(createApp(deps)).sort();
  assert.ok(routes.length >= 25, `found only ${routes.length} routes: the router walk is broken`);

  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('\n## HTTP API\n'),
    readme.indexOf('\n## ', readme.indexOf('\n## HTTP API\n') + 1),
  );
  const documented = [...section.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) ([^`?\s]+)[^`]*` /gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  assert.deepEqual(
    routes.filter((r) => !documented.includes(r)),
    [],
    'routes missing from the README table',
  );
  assert.deepEqual(
    documented.filter((r) => !routes.includes(r)),
    [],
    'README rows for routes the API does not serve',
  );
});
