import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requiredPermissions, type GraphMode } from '../../src/intune/permissions';
import { projectRoot } from '../../src/paths';
import { permissionItems } from '../../src/readiness/permissionChecks';

const read = (...path: string[]): string => readFileSync(join(projectRoot(), ...path), 'utf8');
const PERMISSION = /^[A-Z][A-Za-z]+(\.[A-Za-z]+)+$/;
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** Backticked permission names in a piece of Markdown. */
const backticked = (text: string): string[] =>
  [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '').filter((n) => PERMISSION.test(n));

/** The text from a heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no section ${heading}`);
  const level = /^#+/.exec(heading)?.[0] ?? '##';
  const rest = markdown.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/** Cells of the Markdown table rows in a section (header and rule rows left out). */
function tableCells(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** The words of a shell `for NAME in \ ... do` loop. */
function loopWords(text: string, variable: string): string[] {
  const match = new RegExp(`for ${variable} in \\\\\\n([\\s\\S]*?)\\n\\s*do\\n`).exec(text);
  assert.ok(match, `no for ${variable} loop`);
  return (match[1] ?? '').split(/[\s\\]+/).filter(Boolean);
}

function bicepArray(bicep: string, output: string): string[] {
  const match = new RegExp(`output ${output} array = \\[([\\s\\S]*?)\\]`).exec(bicep);
  assert.ok(match, `no output ${output}`);
  return [...(match[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
}

const expected = (mode: GraphMode): string[] =>
  sorted(requiredPermissions(mode).map((p) => p.name));

describe('Graph permissions: README, DEPLOY.md, infra and readiness list the same set', () => {
  it('checkMemberGroups needs User.Read.All (app) / User.ReadBasic.All (delegated) with GroupMember.Read.All', () => {
    assert.ok(expected('app').includes('User.Read.All'));
    assert.ok(expected('app').includes('GroupMember.Read.All'));
    assert.ok(!expected('app').includes('User.ReadBasic.All'));
    assert.ok(expected('delegated').includes('User.ReadBasic.All'));
    assert.ok(!expected('delegated').includes('User.Read.All'));
  });

  it('README: the application and delegated columns of its permissions table', () => {
    const rows = tableCells(section(read('README.md'), '### Graph permissions'));
    assert.ok(rows.length >= 4, 'the README permissions table has rows');
    assert.deepEqual(sorted(rows.flatMap((r) => backticked(r[1] ?? ''))), expected('app'));
    assert.deepEqual(sorted(rows.flatMap((r) => backticked(r[2] ?? ''))), expected('delegated'));
  });

  it('DEPLOY.md step 4: the table and the grant loop (application)', () => {
    const step4 = section(read('docs', 'DEPLOY.md'), '## 4. Grant Microsoft Graph permissions');
    const tableNames = tableCells(step4).flatMap((r) => backticked(r[0] ?? ''));
    assert.deepEqual(sorted(tableNames), expected('app'));
    assert.deepEqual(sorted(loopWords(step4, 'PERMISSION')), expected('app'));
  });

  it('DEPLOY.md step 5: the scope list, the consent loop and the OAuth connection (delegated)', () => {
    const step5 = section(read('docs', 'DEPLOY.md'), '## 5. Delegated mode');
    const item2 = /2\. \*\*App registration for sign-in\*\*([\s\S]*?)\(plus/.exec(step5)?.[1] ?? '';
    assert.deepEqual(sorted(backticked(item2)), expected('delegated'));
    assert.deepEqual(sorted(loopWords(step5, 'SCOPE')), expected('delegated'));
    const scopes = /--provider-scope-string "([^"]+)"/.exec(step5)?.[1] ?? '';
    assert.deepEqual(
      sorted(scopes.split(' ').filter((s) => PERMISSION.test(s))),
      expected('delegated'),
    );
  });

  it('infra/main.bicep outputs the same sets', () => {
    const bicep = read('infra', 'main.bicep');
    assert.deepEqual(sorted(bicepArray(bicep, 'graphApplicationPermissions')), expected('app'));
    assert.deepEqual(sorted(bicepArray(bicep, 'graphDelegatedPermissions')), expected('delegated'));
  });

  it('readiness (check setup, npm run doctor) checks exactly these, per mode', () => {
    for (const mode of ['app', 'delegated'] as const) {
      const items = permissionItems(
        { kind: mode === 'app' ? 'roles' : 'scopes', values: [] },
        true,
        mode,
        false,
      );
      assert.deepEqual(sorted(items.map((i) => i.id.replace(/^permission\./, ''))), expected(mode));
    }
  });
});
