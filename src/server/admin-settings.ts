/**
 * The resilience settings under `/__geostub` (geostub's own routes, used by the inspector page and by tests):
 *
 * - `GET   /__geostub/settings` → `{"latency": {"min", "max"} | null, "errorRate": 0.05, "rules": [...], "faults": [...]}`
 * - `PATCH /__geostub/settings` body: any of `latency` (300, "100-800", {min, max} or null), `errorRate` (0 to 1,
 *   or "5%"), `rules` (the whole list, as in a `--config` file; null clears it), `faults` (planted faults by name,
 *   `faults/`; [] for none) → the settings now
 *
 * A bad body changes nothing and gets 400 `{"error": …}` naming the setting.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { apiError } from '../core/errors.js';
import type { Env, Reply } from '../core/types.js';
import { parseSettings, settingsView, SettingsError } from './resilience-config.js';

function bodyOf(raw: unknown): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8').trim() : '';
  if (!text)
    throw apiError(
      'adminBadRequest',
      'The body must be JSON: {"latency": "100-800", "errorRate": 0.05, "rules": [...]}.',
    );
  try {
    return JSON.parse(text);
  } catch {
    throw apiError('adminBadRequest', 'The body is not valid JSON.');
  }
}

export function mountSettingsRoutes(app: Express, env: Env, send: (res: Response, reply: Reply) => void): void {
  app.get('/__geostub/settings', (_req, res) => send(res, { status: 200, body: settingsView(env.settings) }));
  app.patch('/__geostub/settings', (req: Request, res: Response, next: NextFunction) => {
    try {
      let patch;
      try {
        patch = parseSettings(bodyOf(req.body));
      } catch (err) {
        if (err instanceof SettingsError) throw apiError('adminBadRequest', err.message);
        throw err;
      }
      Object.assign(env.settings, patch);
      send(res, { status: 200, body: settingsView(env.settings) });
    } catch (err) {
      next(err);
    }
  });
}
