/**
 * The public sources the tax-rule rows cite, by key. A row's `source` is one of these keys (a unit test checks it),
 * so each row stays short and a reader finds the page behind it here.
 */
export const TAX_RULE_SOURCES: Readonly<Record<string, string>> = {
  K1: 'TikTok Seller University "US Sales Tax FAQ" — TikTok collects and remits as marketplace facilitator in all US states that impose a sales tax: https://seller-us.tiktok.com/university/essay?knowledge_id=77147478607658',
  MF: 'State marketplace facilitator effective dates (WA 2018, NJ 2018-11-01, NY 2019-06-01, PA 2019-07-01, OH 2019-09-01, CA/TX/AZ 2019-10-01, NC 2020-02-01, GA 2020-04-01, IL 2021-01-01, FL 2021-07-01, MO 2023-01-01 as the last state, SB 153) as compiled by RSM and BDO: https://rsmus.com/insights/services/business-tax/marketplace-facilitator-laws.html',
  N1: 'Sales Tax Institute, economic nexus state guide and per-state pages: https://www.salestaxinstitute.com/resources/economic-nexus-state-guide',
  N2: 'Avalara, "States eliminating economic nexus transaction thresholds" (updated June 2025): https://www.avalara.com/blog/en/north-america/2025/06/states-eliminating-economic-nexus-transaction-thresholds.html',
  N3: 'Avior SUT table "Economic Nexus By State" (last updated 2025-12-31): https://suttax.avior.tax/doc/sut/economic-nexus-by-state',
  N4: 'Illinois P.A. 104-0006 (HB 2755), transaction count removed from 2026-01-01: https://www.ilga.gov/legislation/publicacts/fulltext.asp?Name=104-0006',
  N5: 'nexuscheck reference data (an Avalara-derived compilation, secondary): https://github.com/markmiedema/nexuscheck (backend/migrations/049_update_reference_data_2026.sql)',
  CA_AB147:
    'California AB 147 ($500,000 of tangible personal property, retailer and related persons; count removed 2019-04-25): https://www.cdtfa.ca.gov/industry/wayfair.htm',
  MO_SB153:
    'Missouri SB 153 ($100,000 taxable sales in the 12 months ending each quarter, from 2023-01-01): https://dor.mo.gov/taxation/business/tax-types/sales-use/economic-nexus.html',
  NY_TSB_M_19_4S:
    'New York TSB-M-19(4)S ($500,000 and more than 100 sales in the four preceding sales-tax quarters): https://www.tax.ny.gov/pdf/memos/sales/m19_4s.pdf',
  NC_HB228:
    'North Carolina HB 228 (transaction count removed from 2024-07-01): https://www.ncdor.gov/taxes-forms/sales-and-use-tax/remote-sales',
  M1: 'Texas Comptroller, Remote Sellers and Marketplace FAQ (34 TAC §3.286): https://comptroller.texas.gov/taxes/sales/remote-sellers-marketplace-faq.php',
  M2: "New York TSB-A-24(52)S (2024-11-12), marketplace seller with stock at the marketplace's fulfilment provider: https://www.tax.ny.gov/pubs_and_bulls/advisory_opinions/sales/24-52s.htm",
  M3: 'CDTFA Publication 77, examples (inventory in a California fulfilment centre requires registration): https://www.cdtfa.ca.gov/formspubs/pub77/examples.htm',
  F_CA: 'CDTFA sales and use tax return filing dates: https://www.cdtfa.ca.gov/taxes-and-fees/sales-use-tax-returns-filing-dates.htm',
  F_TX: 'Texas Comptroller, sales tax reporting FAQ: https://comptroller.texas.gov/taxes/sales/faq/report.php',
  F_FL: 'Florida Statutes 212.11 (returns due the 1st, late after the 20th): https://www.flsenate.gov/Laws/Statutes/2024/212.11',
  F_NY: 'New York TB-ST-275 (filing frequencies, sales-tax quarters) and ST-809-I: https://www.tax.ny.gov/pubs_and_bulls/tg_bulletins/st/filing_requirements.htm',
  F_PA: 'Pennsylvania DOR, sales tax filing frequency and due dates: https://www.revenue.pa.gov/TaxTypes/SUT/Pages/default.aspx',
  F_IL: 'Illinois 86 Ill. Adm. Code 130.502 and 130.510 (ST-1 due the 20th): https://www.ilga.gov/commission/jcar/admincode/086/08600130sections.html',
  F_OH: 'Ohio ORC 5739.12 (returns due the 23rd; semiannual Jul 23 and Jan 23): https://codes.ohio.gov/ohio-revised-code/section-5739.12',
  F_GA: 'Georgia DOR, file and pay sales tax (ST-3 due the 20th): https://dor.georgia.gov/file-pay',
  F_NC: 'NCDOR, sales and use tax filing frequency (E-500): https://www.ncdor.gov/taxes-forms/sales-and-use-tax/filing-frequency',
  F_WA: 'Washington DOR, filing frequencies and due dates: https://dor.wa.gov/file-pay-taxes/filing-frequencies-due-dates',
  F_NJ: 'New Jersey, sales and use tax filing (ST-50 quarterly, ST-51 monthly payments), N.J.A.C. 18:24-11.2: https://www.nj.gov/treasury/taxation/su_12.shtml',
  F_AZ: 'Arizona DOR, TPT due dates: https://azdor.gov/transaction-privilege-tax/due-dates',
};
