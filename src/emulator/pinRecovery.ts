import type { GraphVersion } from './deviceProperties';
import type { EmulatorState } from './state';
import type { TenantAssignment, TenantDeviceConfiguration } from './tenantData';

/**
 * How the emulated tenant turns PIN recovery on (GraphBehaviour.pinRecovery). The tenant
 * file describes it the seed's way, a Windows 10 custom profile with the EnablePinRecovery
 * OMA-URI; the other switches show the same intent (same assignments) as a Settings
 * Catalog policy or an Identity Protection profile instead, as tenants set it up today.
 */
const CUSTOM_TYPE = '#microsoft.graph.windows10customconfiguration';
export const IDENTITY_PROTECTION_TYPE = '#microsoft.graph.windowsIdentityProtectionConfiguration';
/** Beta-only deviceConfiguration types: a v1.0 list leaves them out. */
const BETA_ONLY_TYPES = new Set([IDENTITY_PROTECTION_TYPE.toLowerCase()]);

export interface ConfigurationPolicy {
  id: string;
  name: string;
  description: string;
  platforms: string;
  technologies: string;
  settingCount: number;
  settings: unknown[];
  assignments: TenantAssignment[];
}

const enablesPinRecovery = (config: TenantDeviceConfiguration): boolean =>
  config['@odata.type'].toLowerCase() === CUSTOM_TYPE &&
  Array.isArray(config.omaSettings) &&
  (config.omaSettings as Array<{ omaUri?: unknown }>).some((s) =>
    /\/policies\/enablepinrecovery$/i.test(String(s?.omaUri ?? '')),
  );

/** The seed-style profiles that the current switch replaces. */
function pinRecoveryProfiles(state: EmulatorState): TenantDeviceConfiguration[] {
  return state.tenant.deviceConfigurations.filter(enablesPinRecovery);
}

/** deviceConfigurations as the tenant has them under the current switch, for this version. */
export function deviceConfigurationsSeen(
  state: EmulatorState,
  version: GraphVersion,
): TenantDeviceConfiguration[] {
  const mode = state.behaviour.pinRecovery;
  const own =
    mode === 'customProfile'
      ? state.tenant.deviceConfigurations
      : state.tenant.deviceConfigurations.filter((c) => !enablesPinRecovery(c));
  const added =
    mode === 'identityProtection' ? pinRecoveryProfiles(state).map(identityProfile) : [];
  return [...own, ...added].filter(
    (c) => version === 'beta' || !BETA_ONLY_TYPES.has(c['@odata.type'].toLowerCase()),
  );
}

/** An Identity Protection profile (Windows Hello for Business) with pinRecoveryEnabled. */
function identityProfile(from: TenantDeviceConfiguration): TenantDeviceConfiguration {
  return {
    '@odata.type': IDENTITY_PROTECTION_TYPE,
    id: `${from.id.slice(0, -2)}1d`,
    displayName: 'Windows Hello for Business - PIN recovery',
    description: 'Identity protection profile.',
    version: 1,
    useSecurityKeyForSignin: false,
    enhancedAntiSpoofingForFacialFeaturesEnabled: false,
    pinMinimumLength: 6,
    pinRecoveryEnabled: true,
    securityDeviceRequired: false,
    unlockWithBiometricsEnabled: true,
    windowsHelloForBusinessBlocked: false,
    ...(from.assignments ? { assignments: from.assignments } : {}),
  };
}

/** The Settings Catalog policies (beta configurationPolicies) under the current switch. */
export function configurationPolicies(state: EmulatorState): ConfigurationPolicy[] {
  if (state.behaviour.pinRecovery !== 'settingsCatalog') return [];
  return pinRecoveryProfiles(state).map((from) => ({
    id: `${from.id.slice(0, -2)}5c`,
    name: 'Windows Hello for Business - PIN recovery',
    description: 'Settings Catalog policy.',
    platforms: 'windows10',
    technologies: 'mdm',
    settingCount: 1,
    settings: [passportForWorkSetting()],
    assignments: (from.assignments ?? []).map((a) => ({ ...a })),
  }));
}

/**
 * The setting as the Settings Catalog stores it: a group collection
 * device_vendor_msft_passportforwork_{tenantid} with the choice
 * ..._policies_enablepinrecovery = ..._enablepinrecovery_true among its children.
 */
function passportForWorkSetting(): unknown {
  const root = 'device_vendor_msft_passportforwork_{tenantid}';
  return {
    id: '0',
    settingInstance: {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance',
      settingDefinitionId: root,
      settingInstanceTemplateReference: null,
      groupSettingCollectionValue: [
        {
          settingValueTemplateReference: null,
          children: [
            {
              '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
              settingDefinitionId: `${root}_policies_usepassportforwork`,
              choiceSettingValue: {
                value: `${root}_policies_usepassportforwork_true`,
                children: [],
              },
            },
            {
              '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
              settingDefinitionId: `${root}_policies_enablepinrecovery`,
              settingInstanceTemplateReference: null,
              choiceSettingValue: {
                settingValueTemplateReference: null,
                value: `${root}_policies_enablepinrecovery_true`,
                children: [],
              },
            },
          ],
        },
      ],
    },
  };
}

/** The OMA settings of a custom profile as read back: masked when the switch says so. */
export function omaSettingsSeen(state: EmulatorState, config: TenantDeviceConfiguration): unknown {
  const settings = config.omaSettings;
  if (!state.behaviour.maskOmaValues || !Array.isArray(settings)) return settings;
  return settings.map((setting: Record<string, unknown>, index: number) => ({
    ...setting,
    value: '****',
    isEncrypted: true,
    secretReferenceValueId: secretReference(config, index),
  }));
}

const secretReference = (config: TenantDeviceConfiguration, index: number): string =>
  `${config.id}_oma_${index}`;

/** getOmaSettingPlainTextValue: the plain value behind a secret reference, as a string. */
export function plainOmaValue(
  config: TenantDeviceConfiguration,
  reference: string,
): string | undefined {
  const settings = Array.isArray(config.omaSettings)
    ? (config.omaSettings as Array<{ value?: unknown }>)
    : [];
  const index = settings.findIndex((_, i) => secretReference(config, i) === reference);
  return index < 0 ? undefined : String(settings[index]?.value);
}
