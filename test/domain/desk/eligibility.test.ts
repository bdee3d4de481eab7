import assert from 'node:assert/strict';
import type { Device } from '../../../src/domain/shared/device';
import {
  PLATFORM_RULES,
  compareVersions,
  evaluateEligibility,
  isAzureAdJoined,
  type EligibilityVerdict,
  type PlatformRule,
} from '../../../src/domain/desk/eligibility';

/** A Windows 10 Mobile phone on Creators Update, Azure AD joined, as beta reports it. */
const phone: Device = {
  id: 'd1',
  deviceName: 'Lumia 950',
  operatingSystem: 'Windows',
  osVersion: '10.0.15063.297',
  deviceType: 'windowsPhone',
  joinType: 'azureADJoined',
  deviceEnrollmentType: 'windowsAzureADJoin',
  azureADRegistered: true,
};
const d = (over: Partial<Device>): Device => ({ ...phone, ...over });
const eligible = (platform = 'Windows 10 Mobile'): EligibilityVerdict => ({
  eligible: true,
  platform,
});
const refused = (reason: string, platform?: string, detail?: string): EligibilityVerdict =>
  ({
    eligible: false,
    reason,
    ...(platform === undefined ? {} : { platform }),
    ...(detail === undefined ? {} : { detail }),
  }) as EligibilityVerdict;

const cases: Array<[string, Device, EligibilityVerdict]> = [
  // Supported: Windows 10 Mobile, Creators Update or later, Azure AD joined.
  ['Windows 10 Mobile 1703, joined', phone, eligible()],
  ['exactly 10.0.15063', d({ osVersion: '10.0.15063' }), eligible()],
  ['Fall Creators Update 10.0.15254.158', d({ osVersion: '10.0.15254.158' }), eligible()],
  [
    'operatingSystem "Windows 10 Mobile" without deviceType',
    d({ operatingSystem: 'Windows 10 Mobile', deviceType: null }),
    eligible(),
  ],
  [
    'operatingSystem "Windows Mobile"',
    d({ operatingSystem: 'Windows Mobile', deviceType: undefined }),
    eligible(),
  ],
  [
    'operatingSystem "Windows Phone"',
    d({ operatingSystem: 'Windows Phone', deviceType: undefined }),
    eligible(),
  ],
  [
    'case and spaces do not matter',
    d({ operatingSystem: ' WINDOWS ', deviceType: 'WindowsPhone', joinType: 'AzureADJoined' }),
    eligible(),
  ],
  [
    'joined by enrollment type only (v1.0)',
    d({ joinType: undefined, deviceEnrollmentType: 'windowsAzureADJoin' }),
    eligible(),
  ],
  [
    'bulk Azure AD join',
    d({ joinType: null, deviceEnrollmentType: 'windowsBulkAzureDomainJoin' }),
    eligible(),
  ],
  [
    'Azure AD join using device auth',
    d({ joinType: null, deviceEnrollmentType: 'windowsAzureADJoinUsingDeviceAuth' }),
    eligible(),
  ],
  [
    'auto enrollment',
    d({ joinType: null, deviceEnrollmentType: 'windowsAutoEnrollment' }),
    eligible(),
  ],
  [
    'joinType wins over a registered flag',
    d({ joinType: 'azureADJoined', azureADRegistered: true, deviceEnrollmentType: null }),
    eligible(),
  ],

  // OS too old.
  [
    'Anniversary Update 10.0.14393',
    d({ osVersion: '10.0.14393.1593' }),
    refused('osTooOld', 'Windows 10 Mobile', 'Creators Update (10.0.15063)'),
  ],
  [
    '10.0.15062.9999',
    d({ osVersion: '10.0.15062.9999' }),
    refused('osTooOld', 'Windows 10 Mobile', 'Creators Update (10.0.15063)'),
  ],
  [
    'Windows Phone 8.1',
    d({ operatingSystem: 'Windows Phone', deviceType: undefined, osVersion: '8.10.14219' }),
    refused('osTooOld', 'Windows 10 Mobile', 'Creators Update (10.0.15063)'),
  ],

  // Not Azure AD joined.
  [
    'Azure AD registered (joinType)',
    d({ joinType: 'azureADRegistered' }),
    refused('notAzureAdJoined', 'Windows 10 Mobile'),
  ],
  [
    'hybrid joined',
    d({ joinType: 'hybridAzureADJoined' }),
    refused('notAzureAdJoined', 'Windows 10 Mobile'),
  ],
  [
    'user enrollment, no joinType',
    d({ joinType: undefined, deviceEnrollmentType: 'userEnrollment' }),
    refused('notAzureAdJoined', 'Windows 10 Mobile'),
  ],
  [
    'enrolled by a device enrollment manager',
    d({ joinType: undefined, deviceEnrollmentType: 'deviceEnrollmentManager' }),
    refused('notAzureAdJoined', 'Windows 10 Mobile'),
  ],

  // Not enough data to decide.
  [
    'no osVersion',
    d({ osVersion: null }),
    refused('insufficientData', 'Windows 10 Mobile', 'osVersion'),
  ],
  [
    'unreadable osVersion',
    d({ osVersion: '10.0.15063 (1703)' }),
    refused('insufficientData', 'Windows 10 Mobile', 'osVersion'),
  ],
  [
    'no join data at all',
    d({ joinType: undefined, deviceEnrollmentType: undefined, azureADRegistered: undefined }),
    refused('insufficientData', 'Windows 10 Mobile', 'joinType'),
  ],
  [
    'joinType and enrollment unknown',
    d({ joinType: 'unknown', deviceEnrollmentType: 'unknown' }),
    refused('insufficientData', 'Windows 10 Mobile', 'joinType'),
  ],
  // azureADRegistered is true for joined devices as well, so it decides nothing.
  [
    'only azureADRegistered=true',
    d({ joinType: undefined, deviceEnrollmentType: undefined, azureADRegistered: true }),
    refused('insufficientData', 'Windows 10 Mobile', 'joinType'),
  ],
  [
    'Windows without deviceType (v1.0)',
    d({ deviceType: undefined }),
    refused('insufficientData', undefined, 'deviceType'),
  ],
  [
    'Windows with deviceType unknown',
    d({ deviceType: 'unknown' }),
    refused('insufficientData', undefined, 'deviceType'),
  ],
  [
    'no operatingSystem',
    d({ operatingSystem: null, deviceType: null }),
    refused('insufficientData', undefined, 'operatingSystem'),
  ],

  // Platforms the seed does not support.
  [
    'Windows desktop',
    d({ deviceType: 'desktop', osVersion: '10.0.19045.1' }),
    refused('platformNotSupported', 'Windows'),
  ],
  [
    'Windows 11 Cloud PC',
    d({ deviceType: 'cloudPC', osVersion: '10.0.22631.1' }),
    refused('platformNotSupported', 'Windows'),
  ],
  ['Surface Hub', d({ deviceType: 'surfaceHub' }), refused('platformNotSupported', 'Windows')],
  ['HoloLens', d({ deviceType: 'holoLens' }), refused('platformNotSupported', 'Windows')],
  ['Windows RT', d({ deviceType: 'windowsRT' }), refused('platformNotSupported', 'Windows')],
  // iOS/iPadOS: Remove passcode (a row of its own since issue 15; see platformRows.test.ts).
  [
    'iOS',
    d({ operatingSystem: 'iOS', deviceType: 'iPhone', osVersion: '17.5' }),
    eligible('iOS/iPadOS'),
  ],
  [
    'iPadOS',
    d({ operatingSystem: 'iPadOS', deviceType: 'iPad', osVersion: '17.5' }),
    eligible('iOS/iPadOS'),
  ],
  [
    'macOS',
    d({ operatingSystem: 'macOS', deviceType: 'macMDM', osVersion: '14.5' }),
    refused('platformNotSupported', 'macOS'),
  ],
  [
    'Android device administrator',
    d({ operatingSystem: 'Android', deviceType: 'android', osVersion: '14' }),
    refused('deviceAdministrator', 'Android device administrator'),
  ],
  [
    'Android Enterprise without an enrollment type',
    d({ operatingSystem: 'AndroidEnterprise', deviceType: 'androidEnterprise', osVersion: '14' }),
    refused('insufficientData', 'Android', 'deviceEnrollmentType'),
  ],
  [
    'an old Windows CE device',
    d({ deviceType: 'winCE', osVersion: '7.0' }),
    refused('platformNotSupported', 'Windows'),
  ],
  [
    'an unknown platform',
    d({ operatingSystem: 'Linux', deviceType: 'linux' }),
    refused('platformNotSupported', 'Linux'),
  ],
];

describe('domain/eligibility', () => {
  for (const [what, device, expected] of cases) {
    it(`${what} → ${expected.eligible ? 'eligible' : expected.reason}`, () => {
      assert.deepEqual(evaluateEligibility(device), expected);
    });
  }

  it('is decided by the first matching rule, so a new platform is one row', () => {
    const rules: PlatformRule[] = [
      {
        platform: 'android',
        label: 'Android',
        matches: (x) => x.operatingSystem === 'Android',
        supported: true,
        minOsVersion: '12.0',
        reset: {
          effect: 'newDevicePasscode',
          delivers: 'passcodePrivately',
          confirmTitleKey: 'confirm.title',
          consequenceKeys: ['confirm.step1'],
          failedReasonKey: 'notification.failed.reason',
          notSupportedReasonKey: 'notification.notSupported.reason',
          prerequisites: [],
        },
      },
      ...PLATFORM_RULES,
    ];
    const android = d({ operatingSystem: 'Android', deviceType: 'android' });
    assert.deepEqual(
      evaluateEligibility({ ...android, osVersion: '14.0' }, rules),
      eligible('Android'),
    );
    assert.deepEqual(
      evaluateEligibility({ ...android, osVersion: '11.0' }, rules),
      refused('osTooOld', 'Android', '12.0'),
    );
  });

  describe('compareVersions', () => {
    const table: Array<[string, string, number | undefined]> = [
      ['10.0.15063', '10.0.15063', 0],
      ['10.0.15063.0', '10.0.15063', 0],
      ['10.0.15063.1', '10.0.15063', 1],
      ['10.0.9999', '10.0.15063', -1],
      ['10.1', '10.0.15063', 1],
      ['9.99.99999', '10.0', -1],
      ['10', '10.0', undefined],
      ['10.0.x', '10.0', undefined],
      // Android reports a bare major version; a one-part minimum accepts it.
      ['14', '8', 1],
      ['8.1.0', '8', 1],
      ['7.1.2', '8', -1],
      ['8', '8', 0],
      ['', '10.0', undefined],
    ];
    for (const [a, b, expected] of table) {
      it(`${JSON.stringify(a)} vs ${b} → ${expected}`, () =>
        assert.equal(compareVersions(a, b), expected));
    }
  });

  describe('isAzureAdJoined', () => {
    const table: Array<[Partial<Device>, boolean | undefined]> = [
      [{ joinType: 'azureADJoined' }, true],
      [{ joinType: 'azureADRegistered', deviceEnrollmentType: 'windowsAzureADJoin' }, false],
      [{ joinType: 'hybridAzureADJoined' }, false],
      [{ deviceEnrollmentType: 'windowsAutoEnrollment' }, true],
      [{ deviceEnrollmentType: 'userEnrollment' }, false],
      [{ deviceEnrollmentType: 'unknown' }, undefined],
      [{ azureADRegistered: true }, undefined],
      [{ azureADRegistered: false }, undefined],
      [{}, undefined],
    ];
    for (const [fields, expected] of table) {
      it(`${JSON.stringify(fields)} → ${expected}`, () => {
        assert.equal(isAzureAdJoined({ id: 'x', deviceName: 'x', ...fields }), expected);
      });
    }
  });
});
