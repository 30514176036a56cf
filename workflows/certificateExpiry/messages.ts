// The certificateExpiry workflow's input and result, and what its activities exchange (ids and dates, never files).

export interface CertificateExpiryInput {
  shopId: string;
  /** How far ahead a document counts as expiring (default 30 days). */
  withinDays?: number;
}

/** A vault document that expires within the window (or has expired), as the check needs it. */
export interface ExpiringCertificate {
  certificateId: string;
  documentType: string;
  documentLabel: string;
  identifier: string | null;
  product: string | null;
  /** YYYY-MM-DD. */
  expiresOn: string;
  /** Days from the check's day to the expiry day; negative once expired. */
  daysLeft: number;
}

/** The notice a document gets at each threshold it reaches: 30 days, 7 days, expired. */
export type ExpiryThreshold = '30d' | '7d' | 'expired';

export interface CertificateExpiryResult {
  checked: number;
  /** The notification of each document (the same one again when its threshold was notified before: dedup key). */
  notifications: string[];
  earliestExpiry: string | null;
}
