/**
 * Which GeoNode release a target runs (`geostub conform --geonode auto`), read from two answers that differ
 * between the releases: 4.4 registers the uploads list (4.4.3 upload/api/urls.py:23), 5.0 does not (5.0.2
 * upload/api/urls.py: urlpatterns = []); and 5.0 puts Basic authentication first everywhere (5.0.2
 * settings.py:544-549), so an anonymous /api/v2/users/ is a 401 with `WWW-Authenticate` where 4.4 answers 403.
 */
import type { HttpClient } from './http.js';
import type { ReleaseDecision } from './types.js';

export async function decideRelease(http: HttpClient, asked: 'auto' | 4 | 5 | undefined): Promise<ReleaseDecision> {
  if (asked === 4 || asked === 5) return { release: asked, how: 'given', evidence: [] };
  const votes: (4 | 5)[] = [];
  const evidence: string[] = [];
  const vote = (release: 4 | 5, why: string) => {
    votes.push(release);
    evidence.push(why);
  };
  const uploads = await http
    .send('geonode', { method: 'GET', path: '/api/v2/uploads/', as: 'anonymous' })
    .catch(() => undefined);
  if (uploads) {
    const s = uploads.response.status;
    if (s === 404) vote(5, 'GET /api/v2/uploads/ is 404 (no uploads list: 5.x)');
    else if (s === 200 || s === 401 || s === 403)
      vote(4, `GET /api/v2/uploads/ is ${s} (the uploads list exists: 4.x)`);
  }
  const users = await http
    .send('geonode', { method: 'GET', path: '/api/v2/users/', as: 'anonymous' })
    .catch(() => undefined);
  if (users) {
    const s = users.response.status;
    const challenge = users.response.headers['www-authenticate'];
    if (s === 401 && challenge) vote(5, `anonymous GET /api/v2/users/ is 401 with WWW-Authenticate (Basic first: 5.x)`);
    else if (s === 403) vote(4, 'anonymous GET /api/v2/users/ is 403 (Session first: 4.x)');
  }
  const fives = votes.filter((v) => v === 5).length;
  const release: 4 | 5 = fives > votes.length - fives ? 5 : 4;
  if (votes.length === 0)
    evidence.push('no answer told the releases apart: checked as 4 (give --geonode 5 to check as 5.x)');
  else if (fives && fives < votes.length)
    evidence.push(`the answers disagree: checked as ${release} (give --geonode 4 or 5 to choose)`);
  return { release, how: 'auto', evidence };
}
