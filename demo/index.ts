// Every demo scenario, by name: `npm run demo -- <name>` (scripts/demo.ts), all run by test/e2e/demos.test.ts.
import { affiliateDemo } from './affiliate';
import { appealDemo } from './appeal';
import { catalogDemo } from './catalog';
import { chargebackDemo } from './chargeback';
import { connectionDemo } from './connection';
import { evidenceDemo } from './evidence';
import { healthDemo } from './health';
import { ordersDemo } from './orders';
import { returnsDemo } from './returns';
import { ungatingDemo } from './ungating';
import type { DemoScenario } from './scenario';
import { taxDemo } from './tax';

export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  ordersDemo,
  catalogDemo,
  connectionDemo,
  returnsDemo,
  healthDemo,
  affiliateDemo,
  chargebackDemo,
  evidenceDemo,
  appealDemo,
  ungatingDemo,
  taxDemo,
];
