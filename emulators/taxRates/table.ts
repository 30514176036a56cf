/**
 * The synthetic sales-tax rate table the AvaTax and TaxJar emulators compute with (issue 20: offline there is no
 * real rate source). SYNTHETIC: the jurisdictions are real names and the combined rates are close to the published
 * 2026 ones, but no figure here is authoritative, and each seeded ZIP stands for its whole city. The product keeps a
 * separate table of its own (the monthly report recomputes tax independently): do not import this one from product
 * code. The Irvine (92618) split reproduces AvaTax's worked example (total 7.75%: CA STATE 6%, ORANGE COUNTY 0.25%,
 * ORANGE COUNTY DISTRICT TAX SP 0.5%, ORANGE CO LOCAL TAX SL 1%) from the SDK's fixture
 * (https://github.com/avadev/AvaTax-REST-V2-JS-SDK, test/fixtures/transaction_response.js).
 * Rates are fractions (0.06 = 6%). Shipping is taxable where `freightTaxable`.
 */

export type JurisdictionType = 'State' | 'County' | 'City' | 'Special';

export interface JurisdictionRate {
  type: JurisdictionType;
  /** As AvaTax names it in `jurisName` (upper case). */
  name: string;
  /** AvaTax jurisCode (state: the two-letter code; others: a synthetic code). */
  code: string;
  rate: number;
  /** State-assigned reporting code (CA districts, NY localities), when the state has one. */
  stateAssignedNo?: string;
}

export interface ZipRate {
  zip: string;
  state: string;
  city: string;
  county: string;
  freightTaxable: boolean;
  jurisdictions: JurisdictionRate[];
}

const z = (
  zip: string,
  state: string,
  city: string,
  county: string,
  freightTaxable: boolean,
  jurisdictions: JurisdictionRate[],
): ZipRate => ({ zip, state, city, county, freightTaxable, jurisdictions });

export const SEEDED_ZIP_RATES: readonly ZipRate[] = [
  z('92618', 'CA', 'IRVINE', 'ORANGE', false, [
    { type: 'State', name: 'CALIFORNIA', code: '06', rate: 0.06 },
    { type: 'County', name: 'ORANGE', code: '059', rate: 0.0025 },
    { type: 'Special', name: 'ORANGE COUNTY DISTRICT TAX SP', code: 'EMTV0', rate: 0.005, stateAssignedNo: '037' },
    { type: 'Special', name: 'ORANGE CO LOCAL TAX SL', code: 'EMAR0', rate: 0.01, stateAssignedNo: '30' },
  ]),
  z('90012', 'CA', 'LOS ANGELES', 'LOS ANGELES', false, [
    { type: 'State', name: 'CALIFORNIA', code: '06', rate: 0.06 },
    { type: 'County', name: 'LOS ANGELES', code: '037', rate: 0.0025 },
    { type: 'Special', name: 'LOS ANGELES CO LOCAL TAX SL', code: 'EMBE0', rate: 0.01, stateAssignedNo: '19' },
    {
      type: 'Special',
      name: 'LOS ANGELES COUNTY DISTRICT TAX SP',
      code: 'EMTN0',
      rate: 0.0225,
      stateAssignedNo: '594',
    },
  ]),
  z('78701', 'TX', 'AUSTIN', 'TRAVIS', true, [
    { type: 'State', name: 'TEXAS', code: '48', rate: 0.0625 },
    { type: 'City', name: 'AUSTIN', code: '05000', rate: 0.01 },
    { type: 'Special', name: 'AUSTIN MTA TRANSIT', code: '3227669', rate: 0.01 },
  ]),
  z('10001', 'NY', 'NEW YORK', 'NEW YORK', true, [
    { type: 'State', name: 'NEW YORK', code: '36', rate: 0.04 },
    { type: 'City', name: 'NEW YORK CITY', code: '51000', rate: 0.045, stateAssignedNo: 'NE 8081' },
    { type: 'Special', name: 'METROPOLITAN COMMUTER TRANSPORTATION DISTRICT', code: '359071', rate: 0.00375 },
  ]),
  z('98101', 'WA', 'SEATTLE', 'KING', true, [
    { type: 'State', name: 'WASHINGTON', code: '53', rate: 0.065 },
    { type: 'City', name: 'SEATTLE', code: '63000', rate: 0.0225, stateAssignedNo: '1726' },
    { type: 'Special', name: 'SEATTLE RTA', code: '1700', rate: 0.014 },
  ]),
  z('33131', 'FL', 'MIAMI', 'MIAMI-DADE', true, [
    { type: 'State', name: 'FLORIDA', code: '12', rate: 0.06 },
    { type: 'County', name: 'MIAMI-DADE', code: '086', rate: 0.01 },
  ]),
  z('60601', 'IL', 'CHICAGO', 'COOK', false, [
    { type: 'State', name: 'ILLINOIS', code: '17', rate: 0.0625 },
    { type: 'County', name: 'COOK', code: '031', rate: 0.0175 },
    { type: 'City', name: 'CHICAGO', code: '14000', rate: 0.0125 },
    { type: 'Special', name: 'REGIONAL TRANSPORTATION AUTHORITY', code: 'AWYA0', rate: 0.01 },
  ]),
  z('30303', 'GA', 'ATLANTA', 'FULTON', true, [
    { type: 'State', name: 'GEORGIA', code: '13', rate: 0.04 },
    { type: 'County', name: 'FULTON', code: '121', rate: 0.03 },
    { type: 'City', name: 'ATLANTA', code: '04000', rate: 0.019 },
  ]),
  z('85004', 'AZ', 'PHOENIX', 'MARICOPA', false, [
    { type: 'State', name: 'ARIZONA', code: '04', rate: 0.056 },
    { type: 'County', name: 'MARICOPA', code: '013', rate: 0.007 },
    { type: 'City', name: 'PHOENIX', code: '55000', rate: 0.023 },
  ]),
  z('19103', 'PA', 'PHILADELPHIA', 'PHILADELPHIA', true, [
    { type: 'State', name: 'PENNSYLVANIA', code: '42', rate: 0.06 },
    { type: 'County', name: 'PHILADELPHIA', code: '101', rate: 0.02 },
  ]),
  // A state without a sales tax: every jurisdiction is 0 and the engines answer 0 tax.
  z('97204', 'OR', 'PORTLAND', 'MULTNOMAH', false, []),
];

const BY_ZIP = new Map(SEEDED_ZIP_RATES.map((r) => [r.zip, r]));

/** The seeded ZIP's rates (the first five digits of a ZIP+4), or undefined for a ZIP the table does not seed. */
export function zipRate(postalCode: string): ZipRate | undefined {
  return BY_ZIP.get(postalCode.trim().slice(0, 5));
}

export const combinedRate = (r: ZipRate): number =>
  Math.round(r.jurisdictions.reduce((s, j) => s + j.rate, 0) * 1e6) / 1e6;

/** Cents, rounded half away from zero (each jurisdiction's tax is rounded on its own, then summed). */
export const round2 = (v: number): number => (Math.sign(v) * Math.round(Math.abs(v) * 100 + 1e-9)) / 100;
