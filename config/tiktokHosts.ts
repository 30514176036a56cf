// TikTok Shop's production hosts: the defaults of TIKTOK_API_BASE_URL, TIKTOK_AUTH_BASE_URL and TIKTOK_AUTHORIZE_URL.
// Configuration owns them (config/tiktok.ts picks them when the variables are unset); the client reads them from here.

/** The Open API (https://partner.tiktokshop.com/docv2/page/methods-and-endpoints); production is the only host. */
export const TIKTOK_API_BASE_URL = 'https://open-api.tiktokglobalshop.com';
/** Token exchange and refresh (https://partner.tiktokshop.com/docv2/page/authorization-overview-202407). */
export const TIKTOK_AUTH_BASE_URL = 'https://auth.tiktok-shops.com';
/** Seller consent outside the US (https://partner.tiktokshop.com/docv2/page/authorization-overview-202407). */
export const TIKTOK_AUTHORIZE_URL_ROW = 'https://services.tiktokshop.com/open/authorize';
/**
 * Seller consent in the US. The published pages differ: services.tiktokshops.us (2024 authorization overview, above)
 * and services.us.tiktokshop.com (2023 authorization guide); we take the newer page, TIKTOK_AUTHORIZE_URL overrides.
 */
export const TIKTOK_AUTHORIZE_URL_US = 'https://services.tiktokshops.us/open/authorize';
