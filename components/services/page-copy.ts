/** Words the services pages and their loading states share, so a skeleton never says something the page does not. */
export const SERVICES_PAGE_DESCRIPTION =
  "Each service's delivery health in production, whether it ships push-based, through GitOps, or both since a migration.";
