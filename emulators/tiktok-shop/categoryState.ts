// Category ungating state of the emulator (categories.ts): each shop's permission per category, its applications in
// the Qualification Center (which has no API: the admin API submits and decides them) and the scripted outcomes of
// the next applications.

export type CategoryPermission = 'AVAILABLE' | 'INVITE_ONLY' | 'NON_MAIN_CATEGORY' | 'PROHIBITED';

export interface ApplicationAttempt {
  /** Business time, ms. */
  submittedAt: number;
  decidedAt: number | null;
  outcome: 'approved' | 'rejected' | null;
  reasons: string[];
}

export interface CategoryApplication {
  shopId: string;
  categoryId: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  attempts: ApplicationAttempt[];
}

const key = (shopId: string, categoryId: string): string => `${shopId}|${categoryId}`;

export class CategoryState {
  /** `shop|category` → the permission set for that shop (otherwise the catalog's default). */
  readonly permissions = new Map<string, CategoryPermission>();
  readonly applications = new Map<string, CategoryApplication>();
  /** `shop|category` → outcomes of the next decisions, consumed one per decision ('approved', 'rejected:reason;…'). */
  readonly scripts = new Map<string, string[]>();
  /** shop → check item → fail reasons (Check Listing Prerequisites; admin-set). */
  readonly prerequisiteFailures = new Map<string, Map<string, string[]>>();

  permission(shopId: string, categoryId: string): CategoryPermission | undefined {
    return this.permissions.get(key(shopId, categoryId));
  }

  setPermission(shopId: string, categoryId: string, permission: CategoryPermission): void {
    this.permissions.set(key(shopId, categoryId), permission);
  }

  application(shopId: string, categoryId: string): CategoryApplication | undefined {
    return this.applications.get(key(shopId, categoryId));
  }

  saveApplication(a: CategoryApplication): void {
    this.applications.set(key(a.shopId, a.categoryId), a);
  }

  script(shopId: string, categoryId: string): string[] {
    return this.scripts.get(key(shopId, categoryId)) ?? [];
  }

  setScript(shopId: string, categoryId: string, outcomes: string[]): void {
    this.scripts.set(key(shopId, categoryId), [...outcomes]);
  }

  /** The next scripted outcome, removed from the script; undefined when the script is empty. */
  takeScripted(shopId: string, categoryId: string): string | undefined {
    return this.scripts.get(key(shopId, categoryId))?.shift();
  }

  clear(): void {
    this.permissions.clear();
    this.applications.clear();
    this.scripts.clear();
    this.prerequisiteFailures.clear();
  }
}
