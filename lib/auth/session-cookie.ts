/** Better Auth names its session cookie `<prefix>.session_token` (plus `__Secure-` on https). */
export const COOKIE_PREFIX = "pipeline-health";
export const SESSION_COOKIE_SUFFIX = `${COOKIE_PREFIX}.session_token`;
