// The notification delivery's input (no signals, queries or updates: the notification row shows its state).

/** How the POST is retried; chosen by the starter (temporal/notificationDelivery.ts) and kept in history. */
export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** After this long since the first attempt the delivery gives up; the row keeps its last error. */
  giveUpAfterMs: number;
}

export interface NotificationDeliveryInput {
  notificationId: string;
  retry: DeliveryRetry;
}
