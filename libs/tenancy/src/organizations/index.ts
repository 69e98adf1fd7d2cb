export { ORGANIZATION_BUDGET_FIELDS, sentBudgetFields, type OrganizationFields, type OrganizationBudgetFields } from './organization-fields';
export { organizationInfo, listOrganizations, type OrganizationListFilter } from './organization-queries';
export { OrganizationService, type NewOrganization } from './organization-service';
export { OrganizationMemberService, type OrgMemberChange } from './organization-member-service';
