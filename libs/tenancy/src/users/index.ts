export { UserAdmin, type PersonalKeyIssuer, type UserChangeCheck } from './user-admin';
export { UserDirectory, type UserListQuery } from './user-directory';
export { SELF_SERVICE_USER_FIELDS, type NewUserInput, type UpdateUserInput, type UserSettingsInput } from './user-fields';
