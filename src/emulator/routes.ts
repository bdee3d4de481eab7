import { handleBatch } from './batch';
import {
  getDeviceCompliancePolicy,
  getDeviceConfiguration,
  listAssignments,
  listCompliancePolicyAssignments,
  listDeviceCompliancePolicies,
  listDeviceConfigurations,
} from './handlers/deviceConfigurations';
import { getManagedDevice, listManagedDevices, resetPasscode } from './handlers/managedDevices';
import {
  getServicePrincipal,
  getServicePrincipalByAppId,
  listServicePrincipals,
  SERVICE_PRINCIPAL_BY_APP_ID,
} from './handlers/servicePrincipals';
import {
  checkMemberGroups,
  getUser,
  listOrganization,
  listTransitiveMemberOf,
} from './handlers/users';
import type { Route } from './router';

/** The Graph subset the bot uses, below /v1.0 and /beta alike. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: ['deviceManagement', 'managedDevices'], handler: listManagedDevices },
  { method: 'GET', path: ['deviceManagement', 'managedDevices', ':id'], handler: getManagedDevice },
  {
    method: 'POST',
    path: ['deviceManagement', 'managedDevices', ':id', 'resetPasscode'],
    handler: resetPasscode,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations'],
    handler: listDeviceConfigurations,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations', ':id'],
    handler: getDeviceConfiguration,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceConfigurations', ':id', 'assignments'],
    handler: listAssignments,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceCompliancePolicies'],
    handler: listDeviceCompliancePolicies,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceCompliancePolicies', ':id'],
    handler: getDeviceCompliancePolicy,
  },
  {
    method: 'GET',
    path: ['deviceManagement', 'deviceCompliancePolicies', ':id', 'assignments'],
    handler: listCompliancePolicyAssignments,
  },
  { method: 'GET', path: ['servicePrincipals'], handler: listServicePrincipals },
  { method: 'GET', path: [SERVICE_PRINCIPAL_BY_APP_ID], handler: getServicePrincipalByAppId },
  { method: 'GET', path: ['servicePrincipals', ':id'], handler: getServicePrincipal },
  { method: 'GET', path: ['users', ':user'], handler: getUser },
  { method: 'POST', path: ['users', ':user', 'checkMemberGroups'], handler: checkMemberGroups },
  {
    method: 'GET',
    path: ['users', ':user', 'transitiveMemberOf'],
    handler: listTransitiveMemberOf,
  },
  { method: 'GET', path: ['organization'], handler: listOrganization },
  { method: 'POST', path: ['$batch'], handler: handleBatch },
];
