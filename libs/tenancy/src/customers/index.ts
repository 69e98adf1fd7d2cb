export { CustomerAdmin } from './customer-admin';
export { MODEL_REGIONS, type CustomerInput, type ModelRegion } from './customer-fields';
export { EndUserDirectory, checkEndUser, endUserIdOf, type DefaultEndUserBudget } from './end-user-directory';
