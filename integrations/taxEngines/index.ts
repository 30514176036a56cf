import type { TaxEngineSettings } from '../../config/taxEngines';
import { createAvaTaxEngine } from './avatax';
import { createTaxJarEngine } from './taxjar';
import type { TaxEngine, TaxEngineName } from './types';

export * from './types';

/** The configured engines by name (an engine without settings is absent). */
export type TaxEngines = Partial<Record<TaxEngineName, TaxEngine>>;

export function createTaxEngines(settings: TaxEngineSettings): TaxEngines {
  const engines: TaxEngines = {};
  if (settings.avatax) engines.avatax = createAvaTaxEngine(settings.avatax);
  if (settings.taxjar) engines.taxjar = createTaxJarEngine(settings.taxjar);
  return engines;
}
