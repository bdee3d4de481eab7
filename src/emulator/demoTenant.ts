/**
 * Ids in the shipped demo tenant (tenants/demo-tenant.json) that tests and the
 * demo refer to by role. test/emulator/demoTenant.test.ts keeps this in step with the file.
 */
const device = (n: number): string => `d7c2a1e0-4b3a-4c5d-8e6f-${String(n).padStart(12, '0')}`;
const user = (n: number): string => `0c3b2a91-4f5e-4d6c-8b7a-${String(n).padStart(12, '0')}`;

export const DEMO_TENANT = {
  tenantId: '8f4e7a1c-2b3d-4e5f-9a6b-7c8d9e0f1a2b',
  domain: 'contoso.onmicrosoft.com',
  devices: {
    /** Eligible; deviceName "Lumia 950", shared with lynneLumia950. */
    alexLumia950: device(1),
    lynneLumia950: device(2),
    /** Eligible; holds an old resetPasscode result (done 10 days ago, passcode null). */
    adeleLumia950XL: device(3),
    leeLumia650: device(4),
    /** Eligible; holds an unrelated remoteLock action result. */
    nestorEliteX3: device(5),
    pattiIdol4S: device(6),
    /** "O'Brien's Lumia", user liam.o'brien@… */
    obrienLumia: device(7),
    /** "王小明的 Lumia" */
    wangLumia: device(8),
    /** Eligible, but the reset fails (errorCode -2016345060). */
    failingReset: device(9),
    /** Eligible, but never checks in: the reset stays pending forever. */
    neverChecksIn: device(10),
    /** Windows 10 Mobile 10.0.14393 (too old). */
    tooOld: device(11),
    /** Only Azure AD registered. */
    registeredOnly: device(12),
    /** Looks eligible; Intune ends the reset notSupported. */
    endsNotSupported: device(13),
    christieLumia950XL: device(14),
    enricoLumia650: device(15),
    irvinIdol4S: device(16),
    /** Eligible shared phone without a user (userPrincipalName ""). */
    kioskLumia: device(17),
    alexDesktop: device(18),
    hybridDesktop: device(19),
    /** iOS corporate (ADE): Remove passcode, done with passcode null. */
    meganIPhone: device(20),
    /** iOS personal (device enrollment): Remove passcode. */
    leeIPhone: device(21),
    adeleIPad: device(22),
    /** Android Enterprise fully managed: a new work-profile passcode. */
    pradeepAndroid: device(23),
    /** Android Enterprise personally-owned work profile: a new work-profile passcode. */
    henriettaAndroidWorkProfile: device(24),
    miriamMac: device(25),
    surfaceHub: device(26),
    holoLens: device(27),
    alexLumia650: device(28),
    /** Android Enterprise dedicated, no user: a new device passcode. */
    kioskAndroidDedicated: device(29),
    /** Android Enterprise corporate-owned work profile. */
    christieAndroidCope: device(30),
    /** AOSP user-associated with a passcode profile assigned: a new device passcode. */
    aospWithPolicy: device(31),
    /** AOSP userless without a passcode profile: the reset fails (ANDROID_NO_PASSCODE_POLICY_CODE). */
    aospWithoutPolicy: device(32),
    /** Android device administrator on Android 10: not eligible. */
    deviceAdminAndroid10: device(33),
    /** iOS personal, account-driven User Enrollment: not eligible. */
    lidiaIPhoneUserEnrollment: device(34),
  },
  users: {
    alexWilber: user(1),
    /** Helpdesk technician (direct member). */
    meganBowen: user(2),
    /** Helpdesk admin; technician through the nested admins group. */
    adeleVance: user(3),
    /** Helpdesk technician (direct member). */
    leeGu: user(4),
    /** Technician through the nested "Helpdesk tier 2" group. */
    nestorWilke: user(5),
    liamOBrien: user(7),
    wangXiaoming: user(8),
    isaiahLanger: user(9),
    /** In no helpdesk group. */
    diegoSiciliani: user(13),
    /** Helpdesk admin. */
    lidiaHolloway: user(21),
  },
  groups: {
    helpdeskTechnicians: '5b1f2c3d-1111-4a4a-8b8b-000000000001',
    helpdeskAdmins: '5b1f2c3d-2222-4a4a-8b8b-000000000002',
    helpdeskTier2: '5b1f2c3d-3333-4a4a-8b8b-000000000003',
    windows10MobileDevices: '5b1f2c3d-4444-4a4a-8b8b-000000000004',
    allStaff: '5b1f2c3d-5555-4a4a-8b8b-000000000005',
    kioskDevices: '5b1f2c3d-6666-4a4a-8b8b-000000000006',
    aospWithPasscode: '5b1f2c3d-7777-4a4a-8b8b-000000000007',
  },
  appIds: {
    pinResetService: 'b8456c59-1230-44c7-a4a2-99b085333e84',
    pinResetClient: '9115dd05-fad5-4f9c-acc7-305d08b1b04e',
  },
  deviceConfigurations: {
    pinRecovery: 'c0f1e2d3-0001-4b5a-9c8d-7e6f5a4b3c21',
    edgeStartPage: 'c0f1e2d3-0002-4b5a-9c8d-7e6f5a4b3c22',
    androidEnterprisePasscode: 'c0f1e2d3-0005-4b5a-9c8d-7e6f5a4b3c25',
    /** A compliance policy (deviceCompliancePolicies), not a profile. */
    androidWorkProfilePasscode: 'c0f1e2d3-0006-4b5a-9c8d-7e6f5a4b3c26',
    aospPasscode: 'c0f1e2d3-0007-4b5a-9c8d-7e6f5a4b3c27',
  },
  failingResetErrorCode: -2016345060,
} as const;
