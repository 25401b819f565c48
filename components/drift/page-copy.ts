/** Shared by the drift page and its loading UI, so the header does not change when data arrives. */
export const DRIFT_PAGE_DESCRIPTION =
  "When what runs in the cluster differs from what Git or the last deployment says should run: where it differs now, for how long, and how past episodes ended. Refreshes every few seconds.";
