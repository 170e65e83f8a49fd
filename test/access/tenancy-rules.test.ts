import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeEachProvider, testViewerHeader, type TestApp } from '../support/test-app.ts';
import { forbidden, notFound, ok } from './run-matrix.ts';

/**
 * The tenancy fixture's rules: two-hop relation paths, every/none predicates, field rules on
 * Decimal and BigInt fields, post-update rules, a deny over a relation, composite ids.
 *
 * org a    ann OWNER, adam ADMIN, mia MEMBER, gus GUEST; projects a1 (budget 100), a2 (archived)
 * org b    bea OWNER, mia GUEST; project b1
 * org c    cid OWNER; project c1
 * org s    ann OWNER, suspended
 * tasks    t1 in a1 by mia, assigned to gus, subtasks t1a (OPEN) and t1b (DONE); t2 in a2 by mia;
 *          t3 in b1 by bea, assigned to zed (in no org)
 */
describeEachProvider('access rules: tenancy fixture', (provider) => {
  let t: TestApp;
  const ids: Record<string, any> = {};
  beforeAll(async () => {
    t = await createTestApp('tenancy', provider, {}, { viewerHeader: true });
    const db = t.app.db;
    const org = (slug: string, members: [string, string][], extra: Record<string, unknown> = {}) =>
      db.org.create({ data: { slug, billingEmail: `${slug}@billing.test`, ...extra, members: { create: members.map(([userId, role]) => ({ userId, role })) } } });
    ids.a = (await org('a', [['ann', 'OWNER'], ['adam', 'ADMIN'], ['mia', 'MEMBER'], ['gus', 'GUEST']])).id;
    ids.b = (await org('b', [['bea', 'OWNER'], ['mia', 'GUEST']])).id;
    ids.c = (await org('c', [['cid', 'OWNER']])).id;
    ids.s = (await org('s', [['ann', 'OWNER']], { suspended: true })).id;
    const project = async (name: string, orgId: string, extra = {}) => (await db.project.create({ data: { name, orgId, ...extra } })).id;
    ids.a1 = await project('a1', ids.a, { budget: '100.00' });
    ids.a2 = await project('a2', ids.a, { archived: true });
    ids.b1 = await project('b1', ids.b);
    ids.c1 = await project('c1', ids.c);
    const task = async (title: string, projectId: string, reporterId: string, extra = {}) => (await db.task.create({ data: { title, projectId, reporterId, ...extra } })).id;
    ids.t1 = await task('t1', ids.a1, 'mia', { assigneeId: 'gus' });
    ids.t1a = await task('t1a', ids.a1, 'mia', { parentId: ids.t1 });
    ids.t1b = await task('t1b', ids.a1, 'mia', { parentId: ids.t1, state: 'DONE' });
    ids.t2 = await task('t2', ids.a2, 'mia');
    ids.t3 = await task('t3', ids.b1, 'bea', { assigneeId: 'zed' });
    ids.label = (await db.label.create({ data: { name: 'bug' } })).id;
  });
  afterAll(() => t.close());

  const as = (id: string, roles: string[] = []) => (query: string) => t.gql(query, {}, { [testViewerHeader]: JSON.stringify({ id, roles }) });
  const titles = (rows: { title: string }[]) => rows.map((r) => r.title).sort();

  describe('reads', () => {
    it('follows two relation hops to the membership', async () => {
      expect(titles(ok(await as('gus')('{ tasks { title } }')).tasks)).toEqual(['t1', 't1a', 't1b', 't2']);
      expect(titles(ok(await as('bea')('{ tasks { title } }')).tasks)).toEqual(['t3']);
      expect(titles(ok(await as('mia')('{ tasks { title } }')).tasks)).toEqual(['t1', 't1a', 't1b', 't2', 't3']);
      expect(ok(await as('zed')('{ tasks { title } orgs { slug } }'))).toEqual({ tasks: [], orgs: [] });
    });

    it('hides Decimal and String fields by role, and refuses to aggregate them', async () => {
      const budget = async (who: string) => ok(await as(who)(`{ project(where: { id: "${ids.a1}" }) { budget } }`)).project.budget;
      expect(await budget('ann')).toBe('100');
      expect(await budget('adam')).toBe('100');
      expect(await budget('mia')).toBeNull();
      const billing = async (who: string) => ok(await as(who)('{ orgs(where: { slug: { equals: "a" } }) { billingEmail } }')).orgs[0].billingEmail;
      expect([await billing('ann'), await billing('adam')]).toEqual(['a@billing.test', null]);
      expect(forbidden(await as('mia')('{ projectsAggregate { _sum { budget } } }')).message).toBe('Access denied by rule Project.budget.read');
      expect(ok(await as('ann')('{ projectsAggregate { _count { _all } } }')).projectsAggregate._count._all).toBe(2);
    });

    it('filters nested lists and counts by the same rules', async () => {
      const orgs = ok(await as('mia')('{ orgs(orderBy: [{ slug: asc }]) { slug membersCount projects(orderBy: [{ name: asc }]) { name tasksCount tasks(where: { parentId: { equals: null } }) { title subtasksCount } } } }')).orgs;
      expect(orgs.map((o: { slug: string; membersCount: number }) => [o.slug, o.membersCount])).toEqual([['a', 4], ['b', 2]]);
      expect(orgs[0].projects[0]).toEqual({ name: 'a1', tasksCount: 3, tasks: [{ title: 't1', subtasksCount: 2 }] });
    });
  });

  describe('writes', () => {
    it('post-update rules: a project moves only to an org where the viewer may write', async () => {
      const move = (who: string, orgId: string) => as(who)(`mutation { updateProject(where: { id: "${ids.a1}" }, data: { org: { connect: { id: "${orgId}" } } }) { id } }`);
      expect(forbidden(await move('mia', ids.b)).message).toBe('Access denied by rule Project.post-update');
      // Org c is not mia's to read: it answers as a missing one would.
      expect(notFound(await move('mia', ids.c)).message).toBe('No Org matches the given where in the nested write on org');
      expect((await t.app.db.project.findUnique({ where: { id: ids.a1 } })).orgId).toBe(ids.a);
    });

    it('deny rules over a relation (archived project) and a collection (open subtasks) win', async () => {
      const archived = forbidden(await as('mia')(`mutation { updateTask(where: { id: ${ids.t2} }, data: { title: "x" }) { id } }`));
      expect(archived.extensions.rule).toMatchObject({ name: 'Task.update', reason: '@@deny("update,delete", project.archived) matched' });
      const open = forbidden(await as('mia')(`mutation { deleteTask(where: { id: ${ids.t1} }) { id } }`));
      expect(open.extensions.rule).toMatchObject({ reason: '@@deny("delete", !subtasks![state == DONE]) matched' });
      const leaf = await t.app.db.task.create({ data: { title: 'leaf', projectId: ids.a1, reporterId: 'mia' } });
      ok(await as('mia')(`mutation { deleteTask(where: { id: ${leaf.id} }) { id } }`));
      expect(forbidden(await as('ann')(`mutation { updateOrg(where: { id: "${ids.s}" }, data: { slug: "s2" }) { id } }`)).message).toBe('Access denied by rule Org.update');
    });

    it('field update rules on a BigInt field follow the viewer’s roles', async () => {
      const estimate = (roles: string[]) => as('mia', roles)(`mutation { updateTask(where: { id: ${ids.t1a} }, data: { points: "5" }) { points } }`);
      expect(forbidden(await estimate([])).message).toBe('Access denied by rule Task.points.update');
      expect(ok(await estimate(['lead'])).updateTask.points).toBe('5');
    });

    it('cannot point a task at another tenant’s project, nor link labels it may not create', async () => {
      // Another tenant's project is not readable, so it answers as a missing one would.
      expect(notFound(await as('mia')(`mutation { updateTask(where: { id: ${ids.t1b} }, data: { project: { connect: { id: "${ids.c1}" } } }) { id } }`)).message).toBe('No Project matches the given where in the nested write on project');
      expect(notFound(await as('mia')(`mutation { updateTask(where: { id: ${ids.t1b} }, data: { projectId: "${ids.c1}" }) { id } }`)).message).toBe('No Project matches Task.projectId');
      ok(await as('mia')(`mutation { updateTask(where: { id: ${ids.t1b} }, data: { labels: { connect: [{ id: ${ids.label} }] } }) { labels { name } } }`));
      expect(forbidden(await as('mia')(`mutation { updateTask(where: { id: ${ids.t1b} }, data: { labels: { create: [{ name: "new" }] } }) { id } }`)).message).toBe('Access denied by rule Label.create');
    });

    it('composite ids: only an owner adds members; an org is founded only with oneself as owner', async () => {
      const add = (who: string) => as(who)(`mutation { createOrgMember(data: { org: { connect: { id: "${ids.a}" } }, userId: "new-${who}" }) { userId role } }`);
      expect(forbidden(await add('adam')).message).toBe('Access denied by rule OrgMember.create');
      expect(ok(await add('ann')).createOrgMember).toEqual({ userId: 'new-ann', role: 'MEMBER' });
      const found = (who: string, owner: string) => as(who)(`mutation { createOrg(data: { slug: "by-${who}-${owner}", members: { create: [{ userId: "${owner}", role: OWNER }] } }) { slug membersCount } }`);
      const orgs = await t.app.db.org.count();
      expect(forbidden(await found('zed', 'ann')).message).toBe('Access denied by rule OrgMember.create');
      expect(await t.app.db.org.count()).toBe(orgs);
      expect(ok(await found('zed', 'zed')).createOrg).toEqual({ slug: 'by-zed-zed', membersCount: 1 });
    });

    it('an allowed update whose result the viewer may not read is FORBIDDEN and rolled back', async () => {
      // zed is t3's assignee (update allowed) but in no org (read denied).
      expect(forbidden(await as('zed')(`mutation { updateTask(where: { id: ${ids.t3} }, data: { state: DONE }) { id } }`)).message).toBe('Access denied by rule Task.read');
      expect((await t.app.db.task.findUnique({ where: { id: ids.t3 } })).state).toBe('OPEN');
    });
  });
});

describeEachProvider('access rules: production errors', (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('tenancy', provider, { NODE_ENV: 'production' }, { viewerHeader: true });
  });
  afterAll(() => t.close());

  it('name only Model.operation, without the rules', async () => {
    const error = forbidden(await t.gql('mutation { createLabel(data: { name: "x" }) { id } }', {}, { [testViewerHeader]: '{"id":"u1"}' }));
    expect(error.message).toBe('Access denied by rule Label.create');
    expect(error.extensions).toEqual({ code: 'FORBIDDEN' });
  });
});
