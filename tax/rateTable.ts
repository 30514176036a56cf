/**
 * The product's own sales-tax rate table for the monthly report's recomputation (issue 20 item 3). SYNTHETIC: offline
 * there is no real rate source, so this table holds only the ZIPs the demo and the tests seed, each standing for its
 * whole city, with jurisdiction names as AvaTax reports them and combined rates close to the published 2026 ones; no
 * figure is authoritative. The emulators keep a separate copy (emulators/taxRates/table.ts) that the product never
 * imports: the report checks TikTok's charged tax against this one independently. A real deployment replaces it with
 * a rate source (AvaTax or TaxJar rates by address) behind the same `rateFor` shape.
 *
 * Rates are kept as parts per million (62500 = 6.25%), so sums and products stay exact in integer arithmetic.
 * `freightTaxable`: shipping charged to the buyer is taxed in that ZIP.
 */

export type JurisdictionKind = 'State' | 'County' | 'City' | 'Special';

export interface Jurisdiction {
  kind: JurisdictionKind;
  name: string;
  /** Rate in parts per million. */
  ppm: number;
  /** The state's reporting code (CA district, NY locality, WA location code), when it has one. */
  reportingCode?: string;
}

export interface ZipRates {
  zip: string;
  state: string;
  city: string;
  freightTaxable: boolean;
  jurisdictions: readonly Jurisdiction[];
}

/** Names this table's version: a change of any rate is a new version, recorded in every report that used it. */
export const RATE_TABLE_VERSION = 'synthetic-2026-01';

// One ZIP a line: zip, state, city, freight taxable (y/n), then kind:name:rate ppm[:reporting code] per jurisdiction.
const ROWS = `
92618|CA|IRVINE|n|State:CALIFORNIA:60000|County:ORANGE:2500|Special:ORANGE COUNTY DISTRICT TAX SP:5000:037|Special:ORANGE CO LOCAL TAX SL:10000:30
90012|CA|LOS ANGELES|n|State:CALIFORNIA:60000|County:LOS ANGELES:2500|Special:LOS ANGELES CO LOCAL TAX SL:10000:19|Special:LOS ANGELES COUNTY DISTRICT TAX SP:22500:594
78701|TX|AUSTIN|y|State:TEXAS:62500|City:AUSTIN:10000|Special:AUSTIN MTA TRANSIT:10000
10001|NY|NEW YORK|y|State:NEW YORK:40000|City:NEW YORK CITY:45000:NE 8081|Special:METROPOLITAN COMMUTER TRANSPORTATION DISTRICT:3750
98101|WA|SEATTLE|y|State:WASHINGTON:65000|City:SEATTLE:22500:1726|Special:SEATTLE RTA:14000
33131|FL|MIAMI|y|State:FLORIDA:60000|County:MIAMI-DADE:10000
60601|IL|CHICAGO|n|State:ILLINOIS:62500|County:COOK:17500|City:CHICAGO:12500|Special:REGIONAL TRANSPORTATION AUTHORITY:10000
30303|GA|ATLANTA|y|State:GEORGIA:40000|County:FULTON:30000|City:ATLANTA:19000
85004|AZ|PHOENIX|n|State:ARIZONA:56000|County:MARICOPA:7000|City:PHOENIX:23000
19103|PA|PHILADELPHIA|y|State:PENNSYLVANIA:60000|County:PHILADELPHIA:20000
97204|OR|PORTLAND|n
`;

function parse(rows: string): ZipRates[] {
  return rows
    .trim()
    .split('\n')
    .map((line) => {
      const [zip, state, city, freight, ...parts] = line.split('|') as [string, string, string, string, ...string[]];
      const jurisdictions = parts.map((p): Jurisdiction => {
        const [kind, name, ppm, reportingCode] = p.split(':') as [JurisdictionKind, string, string, string?];
        return { kind, name, ppm: Number(ppm), ...(reportingCode ? { reportingCode } : {}) };
      });
      return { zip, state, city, freightTaxable: freight === 'y', jurisdictions };
    });
}

export const RATE_TABLE: readonly ZipRates[] = parse(ROWS);
const BY_ZIP = new Map(RATE_TABLE.map((r) => [r.zip, r]));

/** The rates of a ZIP (its first five digits), or undefined when the table does not hold it. */
export function rateFor(zip: string): ZipRates | undefined {
  return BY_ZIP.get(zip.trim().slice(0, 5));
}

/** The combined rate in parts per million. */
export const combinedPpm = (r: ZipRates): number => r.jurisdictions.reduce((s, j) => s + j.ppm, 0);

/**
 * Tax in cents on `cents` at `ppm`, rounded half away from zero per jurisdiction (as integrations/taxEngines/types.ts
 * `roundMoney` rounds the engines' figures). Integer arithmetic, BigInt past 2^53: exact for any amount.
 */
export function taxCents(cents: number, ppm: number): number {
  const sign = cents < 0 ? -1 : 1;
  const abs = Math.abs(cents);
  if (abs * ppm > Number.MAX_SAFE_INTEGER) {
    const scaled = BigInt(abs) * BigInt(ppm);
    return sign * Number((scaled + 500_000n) / 1_000_000n);
  }
  const scaled = abs * ppm; // cents × 10^6
  const whole = Math.floor(scaled / 1_000_000);
  return sign * (scaled - whole * 1_000_000 >= 500_000 ? whole + 1 : whole);
}
