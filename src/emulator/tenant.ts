import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';
import type { TenantData } from './tenantData';

export function demoTenantPath(): string {
  return join(projectRoot(), 'src', 'emulator', 'tenants', 'demo-tenant.json');
}

/** Reads a tenant file as stored (relative "@now-…" times unresolved). Tests edit the copy it returns. */
export function readTenantFile(file: string = demoTenantPath()): TenantData {
  const data = JSON.parse(readFileSync(file, 'utf8')) as TenantData;
  assertTenantShape(data, file);
  return data;
}

function assertTenantShape(data: TenantData, source: string): void {
  const lists = ['users', 'groups', 'servicePrincipals', 'deviceConfigurations', 'managedDevices'];
  if (typeof data?.tenantId !== 'string') throw new Error(`${source}: tenantId missing`);
  for (const list of lists) {
    if (!Array.isArray(data[list])) throw new Error(`${source}: "${list}" must be an array`);
  }
  const ids = new Set<string>();
  for (const device of data.managedDevices) {
    if (typeof device.id !== 'string' || typeof device.deviceName !== 'string') {
      throw new Error(`${source}: every managed device needs a string id and deviceName`);
    }
    if (ids.has(device.id)) throw new Error(`${source}: duplicate device id ${device.id}`);
    ids.add(device.id);
  }
}

const RELATIVE_TIME = /^@now(?:([+-])(\d+)([smhd]))?$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Deep copy with every "@now±N{s,m,h,d}" string replaced by an ISO timestamp. */
export function resolveRelativeTimes<T>(value: T, nowMs: number): T {
  if (typeof value === 'string') {
    const match = RELATIVE_TIME.exec(value);
    if (!match) return value;
    const [, sign, amount, unit] = match;
    const offset = sign
      ? Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0) * (sign === '-' ? -1 : 1)
      : 0;
    return new Date(nowMs + offset).toISOString() as T;
  }
  if (Array.isArray(value))
    return value.map((item: unknown) => resolveRelativeTimes(item, nowMs)) as T;
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = resolveRelativeTimes(item, nowMs);
    return copy as T;
  }
  return value;
}
