/** The inspector page's entry point: who is signed in, then each panel. */
import { byId, callGeostub, setBearer } from './http.js';
import { initJobs } from './jobs.js';
import { initLog } from './log.js';
import { initRecords } from './records.js';
import { initSettings } from './settings.js';

async function start(): Promise<void> {
  const session = await callGeostub('GET', '/__geostub/inspector/session');
  const who = byId('who');
  if (session.status !== 200) {
    who.textContent = 'not signed in as a superuser';
    document
      .querySelector('main')
      ?.replaceChildren(`The inspector needs a superuser here: ${session.json?.error ?? session.status}`);
    return;
  }
  setBearer(session.json.token);
  const { auth, access, username } = session.json;
  who.textContent = username
    ? `signed in as ${username}`
    : session.json.token
      ? 'signed in with the admin token'
      : `${access === 'open' ? 'open to everyone (--admin-open)' : 'open on loopback'}${auth === 'off' ? ', auth off' : ', API calls as anonymous'}`;
  initLog();
  initRecords();
  initJobs();
  initSettings();
  document.body.dataset.ready = 'true';
}

void start();
