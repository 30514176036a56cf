// Workflow ids derived from business keys, so duplicate starts collapse onto one execution.
// No imports: the API, activities and workflows all share these.
export const shopWorkflowId = (shopId: string): string => `shop:${shopId}`;
