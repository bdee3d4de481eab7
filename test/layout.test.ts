import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import ts from 'typescript';

/**
 * The architecture the tree shows (README, Layout): the domain by capability, each folder
 * with an index.ts as its public surface, the ports owned by the domain, and no folder
 * that imports one of its peers in a circle (type-only imports count too).
 */
const ROOT = join(__dirname, '..', '..');
const DOMAIN = 'src/domain';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

/** Every relative import of a file, resolved to a repository path. */
function importsOf(path: string): string[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => posix.normalize(posix.join(posix.dirname(path), spec.replace(/\.js$/, ''))))
    .map((base) => [`${base}.ts`, `${base}/index.ts`, base].find((c) => existsSync(join(ROOT, c))))
    .filter((target): target is string => target !== undefined);
}

/** The unit a file belongs to: a domain capability folder, or a top-level folder or file of src/. */
function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts[1] === 'domain' && parts.length > 3) return `domain/${parts[2]}`;
  if (parts[1] === 'domain') return 'domain';
  return parts.length > 2 ? (parts[1] ?? path) : path.replace(/^src\//, '').replace(/\.ts$/, '');
}

const files = sourceFiles('src');
const edges = new Map<string, Map<string, string>>(); // unit -> unit -> an example import
for (const file of files) {
  for (const target of importsOf(file)) {
    const [from, to] = [unitOf(file), unitOf(target)];
    if (from === to) continue;
    const out = edges.get(from) ?? new Map<string, string>();
    if (!out.has(to)) out.set(to, `${file} -> ${target}`);
    edges.set(from, out);
  }
}

/** Strongly connected components with more than one unit (Tarjan). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) component.push(w);
      } while (w !== undefined && w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const capabilities = readdirSync(join(ROOT, DOMAIN)).filter((name) =>
  statSync(join(ROOT, DOMAIN, name)).isDirectory(),
);

describe('layout: the tree shows the architecture', () => {
  it('has no cycle between the folders of src/ or the capability folders of the domain', () => {
    const described = cycles(edges).map((component) =>
      [
        component.join(' <-> '),
        ...component.flatMap((a) =>
          component.filter((b) => edges.get(a)?.has(b)).map((b) => `  ${edges.get(a)?.get(b)}`),
        ),
      ].join('\n'),
    );
    assert.deepEqual(described, []);
  });

  it('groups the domain in capability folders of 1-10 files, each with an index.ts', () => {
    assert.ok(capabilities.length >= 8, capabilities.join(', '));
    const loose = readdirSync(join(ROOT, DOMAIN)).filter((n) => n.endsWith('.ts'));
    assert.deepEqual(loose, ['createDesk.ts'], 'only the composition root sits beside the folders');
    for (const folder of capabilities) {
      const own = readdirSync(join(ROOT, DOMAIN, folder)).filter((n) => n !== 'index.ts');
      assert.ok(existsSync(join(ROOT, DOMAIN, folder, 'index.ts')), `${folder}/index.ts`);
      assert.ok(own.length >= 1 && own.length <= 10, `${folder}: ${own.length} files`);
    }
  });

  it('lets src/ outside a capability folder use only its index.ts', () => {
    const reachingIn = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => /^src\/domain\/[^/]+\/[^/]+\.ts$/.test(target))
        .filter((target) => !target.endsWith('/index.ts'))
        .filter((target) => unitOf(target) !== unitOf(file))
        .map((target) => `${file} -> ${target}`),
    );
    assert.deepEqual(reachingIn, []);
  });

  it('lets the Intune and storage adapters see the domain only through its ports', () => {
    const adapters = files.filter((file) => /^src\/(intune|store)\//.test(file));
    const beyond = adapters.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(`${DOMAIN}/`))
        .filter((target) => !target.startsWith(`${DOMAIN}/ports/`))
        .map((target) => `${file} -> ${target}`),
    );
    assert.deepEqual(beyond, []);
  });

  it('mirrors each capability folder of the domain under test/domain', () => {
    const tested = readdirSync(join(ROOT, 'test/domain')).filter((name) =>
      statSync(join(ROOT, 'test/domain', name)).isDirectory(),
    );
    const strays = tested.filter((name) => name !== 'support' && !capabilities.includes(name));
    assert.deepEqual(strays, [], 'test/domain folders that are no capability of src/domain');
    assert.equal(relative(ROOT, dirname(join(ROOT, DOMAIN))), 'src');
  });
});
