/**
 * domain/access: who may do what (roles from Entra groups, tenants) and which Intune an action uses
 * (app or the technician's token). What code outside the folder may use.
 */
export { Authorization, ENTRA_OBJECT_ID } from './authorization';
export { actingIntune, appIntuneAccess, delegatedIntuneAccess } from './intuneAccess';
export type { DelegatedIntuneParts, IntuneAccess, UserTokenSource } from './intuneAccess';
