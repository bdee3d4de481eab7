import type { TenantData } from '../../../src/emulator/api';
import { DEMO_TENANT } from '../../../src/emulator/demoTenant';
import { readTenantFile } from '../../../src/emulator/tenant';

/**
 * The demo tenant with a few devices renamed by a hostile device user (a device name
 * is whatever its user typed into the phone): markdown that would be a link, a
 * template expression, and a spreadsheet formula. All three stay eligible.
 */
export const HOSTILE_DEVICES = {
  markdown: {
    id: DEMO_TENANT.devices.enricoLumia650,
    serial: 'RM1152R5S2T6',
    name: '[Verify your identity](https://evil.example/login) `[Open](https://evil.example/x)` **now**',
  },
  formula: {
    id: DEMO_TENANT.devices.irvinIdol4S,
    serial: 'ALC6071U9V4W',
    name: '=HYPERLINK("https://evil.example","Lumia")',
  },
  template: {
    id: DEMO_TENANT.devices.pattiIdol4S,
    serial: 'ALC6071W8N5R',
    name: '${$root.pickTitle} ${if(true,"owned","x")} Lumia',
  },
} as const;

/**
 * A device renamed (and its owner and model written) with bidirectional overrides,
 * isolates and zero-width characters so that, displayed raw, it would read as another
 * device and another owner.
 */
export const DISGUISED_DEVICE = {
  id: DEMO_TENANT.devices.nestorEliteX3,
  serial: '5CG7161XK2',
  /** Displayed raw: "Elite x3 (Nestor) 059 aimuL" reads "Lumia 950" backwards. */
  name: 'Elite x3 (Nestor)\u200b \u202e059 aimuL\u202c',
  owner: '\u2067Alex Wilber\u2069\u200f \u2066Nestor\u2069 Wilke',
  model: 'HP\u00ad Elite\u2060 x3\u061c\u200e\u{e0041}',
  /** What a card may show for each: the same text without the invisible characters. */
  shown: {
    name: 'Elite x3 (Nestor) 059 aimuL',
    owner: 'Alex Wilber Nestor Wilke',
    model: 'HP Elite x3',
  },
} as const;

export function hostileTenant(): TenantData {
  const tenant = structuredClone(readTenantFile());
  const find = (id: string) => {
    const device = tenant.managedDevices.find((d) => d.id === id);
    if (!device) throw new Error(`The demo tenant has no device ${id}`);
    return device;
  };
  for (const renamed of Object.values(HOSTILE_DEVICES)) find(renamed.id).deviceName = renamed.name;
  const disguised = find(DISGUISED_DEVICE.id);
  disguised.deviceName = DISGUISED_DEVICE.name;
  disguised.userDisplayName = DISGUISED_DEVICE.owner;
  disguised.model = DISGUISED_DEVICE.model;
  return tenant;
}
