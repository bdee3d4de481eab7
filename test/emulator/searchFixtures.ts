import { clauseFilter, readQuery } from '../../src/intune/queryReader';
import type { DeviceRecord } from '../../src/emulator/tenantData';

/**
 * Devices whose names and values stress case folding and n-grams: quotes, CJK,
 * characters whose lower case is longer (İ) or that have no upper/lower pair (ß),
 * surrogate pairs, 1- and 2-character and empty names, missing and non-string values.
 */
export function trickyDevices(): DeviceRecord[] {
  // A field given as undefined is left out: the device lacks it (Graph then shows null).
  const device = (n: number, fields: Partial<DeviceRecord>): DeviceRecord => {
    const record: DeviceRecord = {
      id: `7a000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      deviceName: `TRICKY-${n}`,
      operatingSystem: 'Windows',
      managementAgent: 'mdm',
      complianceState: 'compliant',
      serialNumber: `TRK${n}`,
      userPrincipalName: `tricky${n}@contoso.onmicrosoft.com`,
      ...fields,
    };
    for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
    return record;
  };
  return [
    device(1, { deviceName: "O'Brien''s Lumia", serialNumber: "SN'1" }),
    device(2, { deviceName: 'İSTANBUL-PC', model: 'Lumia 950' }),
    device(3, { deviceName: 'Straße 12', userPrincipalName: 'STRASSE@contoso.onmicrosoft.com' }),
    device(4, { deviceName: '📱 Phone 王小明', operatingSystem: 'iOS' }),
    device(5, { deviceName: 'X' }),
    device(6, { deviceName: 'ab' }),
    device(7, { deviceName: '' }),
    device(8, { deviceName: 'lumia 950', serialNumber: undefined, userPrincipalName: null }),
    device(9, { deviceName: 'LUMIA 950', serialNumber: 12345 }),
    device(10, { deviceName: 'Lumia  950 (two spaces)', complianceState: 'noncompliant' }),
    device(11, { deviceName: 'aaaaaaaa', serialNumber: '' }),
    device(12, { deviceName: 'SYN-WP-000042 copy', operatingSystem: 'Android' }),
  ];
}

/** What the bot sends for what technicians type (src/intune/queryReader.ts, escaped there). */
export function botFilters(texts: readonly string[]): string[] {
  return texts.flatMap((text) => readQuery(text).clauses.map(clauseFilter));
}

export const BOT_SEARCH_TEXTS = [
  'lumia',
  'LUMIA 950',
  "O'Brien",
  'SYN000000042',
  'SYN-WP',
  '-000042',
  'syn.user000042@contoso.onmicrosoft.com',
  'STRASSE@contoso.onmicrosoft.com',
  '王小明',
  'İstanbul',
  'straße',
  '📱',
  'x',
  '0',
  'ab',
  'zz',
  'no such device anywhere',
] as const;

/**
 * Filters both ways of answering must agree on (honoured, ignored and mixed
 * clauses). Built from a device of the synthetic range so eq filters hit something.
 */
export function filterTable(sample: DeviceRecord): string[] {
  const name = String(sample.deviceName);
  const serial = String(sample.serialNumber);
  const upn = String(sample.userPrincipalName);
  const aad = String(sample.azureADDeviceId);
  return [
    `deviceName eq '${name}'`,
    `deviceName eq '${name.toLowerCase()}'`,
    "deviceName eq 'lumia 950'",
    "deviceName eq ''",
    "deviceName eq 'O''Brien''''s Lumia'",
    `serialNumber eq '${serial.toLowerCase()}'`,
    "serialNumber eq ''",
    "serialNumber eq 'SN''1'",
    "serialNumber eq '12345'",
    `userPrincipalName eq '${upn.toUpperCase()}'`,
    "userPrincipalName eq 'strasse@CONTOSO.onmicrosoft.com'",
    `userPrincipalName ne '${upn}'`,
    `azureADDeviceId eq ${aad.toUpperCase()}`,
    `azureADDeviceId eq '${aad}'`,
    "operatingSystem eq 'WINDOWS'",
    "model eq 'lumia 950'",
    "complianceState eq 'noncompliant'",
    "managementAgent eq 'mdm'",
    "contains(deviceName,'lumia')",
    "contains(deviceName,'LUMIA 950')",
    "startswith(deviceName,'Lumia 950')",
    "startswith(deviceName,'950')",
    "contains(deviceName,'syn-wp-00')",
    "contains(deviceName,'-000042')",
    "contains(deviceName,'''')",
    "contains(deviceName,'''''')",
    "contains(deviceName,'o''brien''''s')",
    "contains(deviceName,'i̇st')",
    "contains(deviceName,'İST')",
    "contains(deviceName,'STRASSE')",
    "contains(deviceName,'aße')",
    "contains(deviceName,'📱')",
    "contains(deviceName,'王小明')",
    "contains(deviceName,'x')",
    "contains(deviceName,'X')",
    "contains(deviceName,'0')",
    "contains(deviceName,'ab')",
    "contains(deviceName,'aa')",
    "contains(deviceName,'aaaaa')",
    "contains(deviceName,' ')",
    "contains(deviceName,'  ')",
    "contains(deviceName,'zq')",
    "contains(deviceName,'')",
    "contains(model,'950')",
    "contains(osVersion,'15063')",
    "operatingSystem eq 'Windows' and contains(deviceName,'wp')",
    "contains(deviceName,'syn') and serialNumber eq 'SYN000000100'",
    "contains(deviceName,'lumia') and contains(osVersion,'15063')",
    "contains(deviceName,'a') and contains(deviceName,'b')",
    "contains(deviceName,'desktop') and contains(deviceName,'00001')",
    "contains(deviceName,'wp-0001') and manufacturer eq 'Nobody'",
    "contains(serialNumber,'x') and contains(deviceName,'desktop-00000')",
    "contains(deviceName,'') and operatingSystem eq 'macOS'",
    "operatingSystem eq 'macOS' or operatingSystem eq 'iPadOS'",
    "operatingSystem eq 'macos' or operatingSystem eq 'nothing'",
    "operatingSystem eq 'macOS' or operatingSystem eq 'MACOS'",
    "(operatingSystem eq 'macOS' or operatingSystem eq 'iOS') and contains(deviceName,'000')",
    "deviceName eq 'Lumia 950' or deviceName eq 'ab'",
    "contains(deviceName,'x') or contains(deviceName,'y')",
    "not contains(deviceName,'wp')",
    "endswith(deviceName,'42')",
    "lastSyncDateTime lt 2026-02-20T00:00:00Z and contains(deviceName,'desktop')",
    "enrolledDateTime gt 2025-06-01T00:00:00Z and startswith(deviceName,'SYN-MAC')",
    // Refused alike: or across properties, malformed, unknown property, wrong literal type.
    "deviceName eq 'x' or serialNumber eq 'y'",
    "userPrincipalName eq 'a' or contains(deviceName,'a')",
    'contains(deviceName,5)',
    "colour eq 'red'",
    "contains(deviceName,'unterminated",
  ];
}
