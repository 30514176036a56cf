// The tax-history backfill's activities are the tax-data sync's (activities/taxData): each month is one
// syncTaxFinance call with `background: true`, then one syncFbtInventory.
export { createTaxDataActivities, type TaxDataActivities } from '../taxData';
