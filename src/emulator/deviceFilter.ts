import { badRequest } from './graphError';
import { canonicalDeviceProperty, type GraphVersion } from './deviceProperties';
import {
  FilterSyntaxError,
  parseFilter,
  propertiesOf,
  type FilterNode,
  type Literal,
} from './odataFilter';
import { foldedValue, isEqualsIndexed, isSubstringIndexed, type AccessPath } from './deviceIndex';
import type { DeviceRecord } from './tenantData';

/**
 * Intune's $filter on managedDevices, quirks included (see the reference table):
 * only some property/operator pairs work; any other clause on a real property is
 * SILENTLY IGNORED (as if absent); `or` across different properties is refused;
 * `startswith` on deviceName behaves like `contains`; strings compare case-insensitively.
 * Unknown properties and malformed syntax are 400s.
 */
type Operation = 'eq' | 'ne' | 'lt' | 'gt' | 'contains' | 'startswith';
type Kind = 'string' | 'datetime';

const SUPPORTED: Record<string, { kind: Kind; ops: readonly Operation[] }> = {
  operatingSystem: { kind: 'string', ops: ['eq'] },
  deviceName: { kind: 'string', ops: ['eq', 'contains', 'startswith'] },
  userPrincipalName: { kind: 'string', ops: ['eq', 'ne'] },
  serialNumber: { kind: 'string', ops: ['eq'] },
  model: { kind: 'string', ops: ['eq', 'contains'] },
  osVersion: { kind: 'string', ops: ['contains'] },
  azureADDeviceId: { kind: 'string', ops: ['eq'] },
  complianceState: { kind: 'string', ops: ['eq'] },
  managementAgent: { kind: 'string', ops: ['eq'] },
  lastSyncDateTime: { kind: 'datetime', ops: ['lt', 'gt'] },
  enrolledDateTime: { kind: 'datetime', ops: ['lt', 'gt'] },
};

export type DevicePredicate = (device: DeviceRecord) => boolean;

export interface DeviceFilterPlan {
  /** Undefined when every clause was ignored: all devices match. */
  test?: DevicePredicate;
  /**
   * Where the indexes can find a superset of the matches; undefined means scan
   * every device. Only clauses Intune honours contribute one (an ignored clause
   * must not narrow anything), and `test` still decides each candidate.
   */
  access?: AccessPath;
}

export function compileDeviceFilter(text: string, version: GraphVersion): DeviceFilterPlan {
  let tree: FilterNode;
  try {
    tree = parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      throw badRequest(`Invalid filter clause: ${error.message}`);
    throw error;
  }
  for (const property of propertiesOf(tree)) {
    if (!canonicalDeviceProperty(version, property)) {
      throw badRequest(
        `Could not find a property named '${property}' on type 'microsoft.graph.managedDevice'.`,
      );
    }
  }
  return compile(tree, version);
}

function compile(node: FilterNode, version: GraphVersion): DeviceFilterPlan {
  switch (node.type) {
    case 'and': {
      const parts = node.items.map((item) => compile(item, version));
      const tests = parts.flatMap((p) => (p.test ? [p.test] : []));
      // Any conjunct with an index narrows the whole `and`; the others are only verified.
      const paths = parts.flatMap((p) => (p.access ? [p.access] : []));
      if (tests.length === 0) return {};
      const test: DevicePredicate = (d) => tests.every((t) => t(d));
      if (paths.length === 0) return { test };
      return { test, access: paths.length === 1 ? paths[0]! : { kind: 'every', paths } };
    }
    case 'or':
      return compileOr(node.items, version);
    case 'not':
      return {}; // Intune does not honour `not`: ignored like any unsupported clause.
    default:
      return compileClause(node, version);
  }
}

function compileOr(items: FilterNode[], version: GraphVersion): DeviceFilterPlan {
  const properties = new Set<string>();
  for (const item of items) propertiesOf(item).forEach((p) => properties.add(p));
  if (properties.size > 1) {
    throw badRequest(
      "Invalid filter clause: 'or' is supported only between conditions on the same property.",
    );
  }
  // Only `operatingSystem eq … or operatingSystem eq …` works; any other `or` is ignored.
  const allOsEq = items.every(
    (i) =>
      i.type === 'compare' &&
      i.op === 'eq' &&
      canonicalDeviceProperty(version, i.property) === 'operatingSystem',
  );
  if (!allOsEq) return {};
  const parts = items.map((i) => compile(i, version));
  const tests = parts.map((p) => p.test ?? (() => true));
  const test: DevicePredicate = (d) => tests.some((t) => t(d));
  // An `or` narrows only when every branch does: one branch without an index could match anything.
  const paths = parts.flatMap((p) => (p.access ? [p.access] : []));
  if (paths.length < parts.length) return { test };
  return { test, access: { kind: 'some', paths } };
}

function compileClause(
  node: Extract<FilterNode, { type: 'compare' | 'call' }>,
  version: GraphVersion,
): DeviceFilterPlan {
  const property = canonicalDeviceProperty(version, node.property)!;
  const operation: string = node.type === 'compare' ? node.op : node.fn;
  const rule = SUPPORTED[property];
  if (!rule || !rule.ops.includes(operation as Operation)) return {}; // silently ignored
  if (rule.kind === 'datetime') {
    const ms = dateLiteral(node.literal, property);
    return {
      test: (d) => {
        const value = Date.parse(String(d[property] ?? ''));
        if (Number.isNaN(value)) return false;
        return operation === 'lt' ? value < ms : value > ms;
      },
    };
  }
  const wanted = stringLiteral(node.literal, property).toLowerCase();
  const read = (d: DeviceRecord): string => foldedValue(d, property);
  switch (operation) {
    case 'eq': {
      const test: DevicePredicate = (d) => read(d) === wanted;
      return isEqualsIndexed(property)
        ? { test, access: { kind: 'equals', property, value: wanted } }
        : { test };
    }
    case 'ne':
      return { test: (d) => read(d) !== wanted };
    default: {
      // contains, and startswith which Intune treats much like contains.
      const test: DevicePredicate = (d) => read(d).includes(wanted);
      return isSubstringIndexed(property) && wanted !== ''
        ? { test, access: { kind: 'contains', property, value: wanted } }
        : { test };
    }
  }
}

function stringLiteral(literal: Literal, property: string): string {
  if (literal.kind === 'string') return literal.value;
  if (literal.kind === 'guid' && property === 'azureADDeviceId') return literal.value;
  throw badRequest(
    `Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.String' and '${edmType(literal)}' for property '${property}'.`,
  );
}

function dateLiteral(literal: Literal, property: string): number {
  if (literal.kind === 'datetime') return literal.ms;
  throw badRequest(
    `Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and '${edmType(literal)}' for property '${property}'.`,
  );
}

function edmType(literal: Literal): string {
  const types: Record<Literal['kind'], string> = {
    string: 'Edm.String',
    number: 'Edm.Int32',
    boolean: 'Edm.Boolean',
    null: 'null',
    datetime: 'Edm.DateTimeOffset',
    guid: 'Edm.Guid',
  };
  return types[literal.kind];
}
