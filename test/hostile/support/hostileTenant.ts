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

export function hostileTenant(): TenantData {
  const tenant = structuredClone(readTenantFile());
  for (const renamed of Object.values(HOSTILE_DEVICES)) {
    const device = tenant.managedDevices.find((d) => d.id === renamed.id);
    if (!device) throw new Error(`The demo tenant has no device ${renamed.id}`);
    device.deviceName = renamed.name;
  }
  return tenant;
}
