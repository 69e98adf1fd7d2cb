export { CustomerAdmin } from './customer-admin';
export { MODEL_REGIONS, type CustomerInput, type ModelRegion } from './customer-fields';
export { BlockedEndUsers, checkEndUser, endUserIdOf } from './blocked-end-users';
