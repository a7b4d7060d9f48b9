/**
 * The users viewset's write actions (geonode/people/api/views.py:117-167 at 4.4.3): `transfer_resources` and
 * `remove_from_group_manager`. Both load the user with get_object (IsAuthenticated, then IsOwnerOrAdmin: the user
 * themself or staff/superusers).
 */
import { apiError } from '../../../core/errors.js';
import { json, type Behaviour, type BehaviourRequest, type Env } from '../../../core/types.js';
import { pyStrRepr } from '../../../query/dynamic-rest/index.js';
import type { StoredRecord } from '../../../store/index.js';
import { bodyParams } from '../actions/common.js';
import { endpointOf, findRecord, isAdmin, requireUser } from '../context.js';
import { ownerEmbed } from '../writing/records.js';

/** get_object + IsOwnerOrAdmin.has_object_permission (base/api/permissions.py:122-147) for a POST. */
function targetUser(req: BehaviourRequest, env: Env): StoredRecord {
  const caller = requireUser(req);
  const { c } = endpointOf(req);
  const user = findRecord(req, env, c);
  if (!(isAdmin(caller) || caller.pk === user.pk)) throw apiError('permissionDenied');
  return user;
}

/** `POST /users/{id}/transfer_resources` (views.py:146-167): `{"owner": <id> | "DEFAULT"}`; 5.0: `transferResources5`. */
export const transferResources: Behaviour = async (req, env) => {
  if (req.op.contract.release === 5) return transferResources5(req, env);
  const user = targetUser(req, env);
  const users = env.store.collection('users');
  const wanted = bodyParams(req.body).owner;
  let target: StoredRecord | undefined;
  if (wanted === 'DEFAULT') {
    target = users
      .list()
      .filter((u) => u.is_superuser === true && u.is_staff === true)
      .sort((a, b) => Number(a.pk) - Number(b.pk))[0];
    if (!target) return json(500, 'Principal User not found');
  } else {
    // get_object_or_404(User, id=owner): a missing or unknown id is a 404 (a non-numeric one crashes GeoNode: 500)
    const id =
      typeof wanted === 'number'
        ? wanted
        : typeof wanted === 'string' && /^\s*\d+\s*$/.test(wanted)
          ? Number(wanted)
          : NaN;
    target = Number.isInteger(id) ? users.get(id) : undefined;
    if (!target) throw apiError('notFound');
  }
  if (target.pk === user.pk) return json(400, 'Cannot reassign to self');
  // ResourceBase.objects.filter(owner=user).update(owner=target): the owner only, no permission changes
  const resources = env.store.collection('resources');
  const owner = ownerEmbed(target);
  for (const r of resources.list())
    if ((r.owner as StoredRecord | null)?.pk === user.pk) resources.update(r.pk, { owner: { ...owner } });
  await env.persist();
  return json(200, 'Resources transfered successfully');
};

/** Python's repr of a set of group ids: `{3, 7}` (small ints iterate in ascending order), strings quoted. */
function pySet(values: unknown[]): string {
  const ints = values
    .filter((v): v is number => typeof v === 'number')
    .sort((a, b) => a - b)
    .map(String);
  const rest = values
    .filter((v) => typeof v !== 'number')
    .map((v) => (typeof v === 'string' ? pyStrRepr(v) : JSON.stringify(v)));
  return `{${[...ints, ...rest].join(', ')}}`;
}

/** `POST /users/{id}/remove_from_group_manager` (views.py:117-144): `{"groups": [<auth group id>…] | "ALL"}`. */
export const removeFromGroupManager: Behaviour = async (req, env) => {
  const user = targetUser(req, env);
  const ids = bodyParams(req.body).groups;
  if (!ids || (Array.isArray(ids) && ids.length === 0)) return json(400, { error: 'No groups IDs were provided' });
  if (ids !== 'ALL' && !Array.isArray(ids))
    throw apiError('invalid', 'groups: a list of group ids or "ALL" is required.');
  const profiles = env.store.collection('groups').list();
  const memberships = env.store.collection('memberships');
  const mine = new Set(
    memberships
      .list()
      .filter((m) => m.user === user.pk)
      .map((m) => m.group),
  );
  // GroupProfile.groups_for_user (groups/models.py:113-121): every group for a superuser, else the user's groups
  const ofUser = profiles
    .filter((g) => user.is_superuser === true || mine.has(g.pk))
    .sort((a, b) => Number(a.pk) - Number(b.pk));
  const authPk = (g: StoredRecord) => (g.group as StoredRecord | null)?.pk;
  let chosen = ofUser;
  const invalid: unknown[] = [];
  if (ids !== 'ALL') {
    const wanted = [...new Set(ids as unknown[])];
    chosen = ofUser.filter((g) => wanted.some((w) => String(w) === String(authPk(g))));
    // set difference in Python: "3" is not 3, so a string id is reported even when its group was demoted
    invalid.push(...wanted.filter((w) => !chosen.some((g) => authPk(g) === w)));
  }
  for (const g of chosen) {
    for (const m of memberships.list())
      if (m.group === g.pk && m.user === user.pk && m.role === 'manager') memberships.update(m.id, { role: 'member' });
  }
  await env.persist();
  const payload: Record<string, string> = {
    success: `User removed as a group manager from : ${chosen.map((g) => String(g.title)).join(', ')}`,
  };
  if (invalid.length) {
    payload.error = `User is not manager of the following groups: : ${pySet(invalid)}`;
    return json(400, payload);
  }
  return json(200, payload);
};

const intId = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v)
    ? v
    : typeof v === 'string' && /^\s*\d+\s*$/.test(v)
      ? Number(v)
      : undefined;

/**
 * GeoNode 5.0's transfer (5.0.2 people/api/views.py:167-218): admins only; `{"newOwner": <id>, "currentOwner": <id>,
 * "resources": [<pk>…]}` moves the current owner's resources (all of them, or the listed ones) to the new owner.
 */
async function transferResources5(req: BehaviourRequest, env: Env) {
  const caller = requireUser(req);
  if (!isAdmin(caller)) return json(403, { Error: 'Admin access required.' });
  const { c } = endpointOf(req);
  const user = findRecord(req, env, c);
  const params = bodyParams(req.body);
  const newOwner = params.newOwner;
  const currentOwner = params.currentOwner;
  const subset = Array.isArray(params.resources) ? params.resources.map(String) : undefined;
  if (!newOwner && currentOwner) return json(400, 'Payload not passed');
  const resources = env.store.collection('resources');
  const ownedBy = (r: StoredRecord, pk: unknown) => (r.owner as StoredRecord | null)?.pk === pk;
  // a non-superuser user must own every listed resource (GeoNode's len(None) crashes without a list: geostub takes
  // a missing list as "all of them", a deliberate difference)
  if (!(
    user.is_superuser === true ||
    !subset ||
    resources.list().filter((r) => ownedBy(r, user.pk) && subset.includes(String(r.pk))).length === subset.length
  )) {
    return json(403, { error: 'The user does not have any right to perform this action on this resource' });
  }
  const users = env.store.collection('users');
  const targetId = intId(newOwner);
  const target = targetId === undefined ? undefined : users.get(targetId);
  if (!target) throw apiError('notFound');
  if (target.pk === user.pk) return json(400, 'Cannot reassign to self');
  const fromId =
    currentOwner === undefined || currentOwner === null || currentOwner === '' ? user.pk : intId(currentOwner);
  const moving = resources.list().filter((r) => ownedBy(r, fromId) && (!subset || subset.includes(String(r.pk))));
  // the loop looks the previous owner up for each resource: an unknown (or missing) currentOwner is a 404 there
  if (
    moving.length &&
    (currentOwner === undefined || intId(currentOwner) === undefined || !users.get(intId(currentOwner)!))
  )
    throw apiError('notFound');
  const owner = ownerEmbed(target);
  for (const r of moving) resources.update(r.pk, { owner: { ...owner } });
  await env.persist();
  return json(200, 'Resources transfered successfully');
}
