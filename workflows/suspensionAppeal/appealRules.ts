// The rules of the suspension appeal's human steps, pure (unit-tested in test/unit/suspensionAppealRules.test.ts):
// which reviews, submissions and decisions a validator refuses and why, and what an edited Plan of Action must look
// like. An edit is checked against the version it replaces, section by section and field by field, so the rules hold
// whatever fields appeal/model.ts gives a plan: a person rewrites the words and numbers, never the shape.
import { BREACH_METRIC, type PlanOfAction } from '../../appeal/model';
import { validatePlan } from '../../appeal/planOfAction';
import { DEADLINE_PASSED, INVALID_DECISION } from '../shared/failureTypes';
import { refuseSubmission, textField, type Refusal } from '../shared/disputeRules';
import type { AppealDecisionInput, AppealStage, AppealSubmissionInput, ReviewInput } from './messages';

export type { Refusal } from '../shared/disputeRules';

/** The largest edited plan taken (its JSON): a plan is a page or two of text, never a data dump. */
export const MAX_PLAN_JSON = 64_000;
/** The most versions an appeal keeps: each edit is in the workflow's history, which must stay small. */
export const MAX_VERSIONS = 25;
const MAX_ITEMS = 30;
const MAX_TEXT = 4000;
const BREACH_TYPES: readonly string[] = Object.keys(BREACH_METRIC);
/** Whose plan it is: never edited. */
const IDENTITY = ['noticeId', 'shopId'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** A rate or threshold may be a number or null (none measured) in either version. */
const sameKind = (a: string, b: string) =>
  a === b || (['number', 'null'].includes(a) && ['number', 'null'].includes(b));

/** Why `value` cannot stand where the template had `like` (undefined: it can). */
function valueProblem(value: unknown, like: unknown, path: string): string | undefined {
  if (!sameKind(kindOf(value), kindOf(like)))
    return `${path} must be ${kindOf(like) === 'array' ? 'a list' : `a ${kindOf(like)}`}`;
  if (typeof value === 'string' && (value.trim() === '' || value.length > MAX_TEXT))
    return `${path} must be text of 1-${MAX_TEXT} characters`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `${path} must be a finite number`;
  if (Array.isArray(value) && Array.isArray(like) && like.length > 0) {
    const i = value.findIndex((x) => !sameKind(kindOf(x), kindOf(like[0])) || JSON.stringify(x).length > MAX_TEXT);
    if (i >= 0) return `${path}[${i}] must be like the plan's other entries there`;
  }
  if (path.endsWith('.breachType') && !BREACH_TYPES.includes(value as string))
    return `${path} must be one of ${BREACH_TYPES.join(', ')}`;
  if (path.endsWith('.breachTypes') && (value as unknown[]).some((b) => !BREACH_TYPES.includes(b as string)))
    return `${path} lists a breach type other than ${BREACH_TYPES.join(', ')}`;
  return undefined;
}

/** Why one item of a section does not have the fields the section's items have in the template. */
function itemProblem(item: unknown, like: Record<string, unknown>[], path: string): string | undefined {
  if (!isObject(item)) return `${path} must be an object`;
  const allowed = new Map<string, unknown>();
  for (const t of like) for (const [k, v] of Object.entries(t)) if (!allowed.has(k)) allowed.set(k, v);
  const required = [...allowed.keys()].filter((k) => like.every((t) => k in t));
  const unknown = Object.keys(item).filter((k) => !allowed.has(k));
  if (unknown.length) return `${path} has fields the plan does not have: ${unknown.join(', ')}`;
  const missing = required.filter((k) => !(k in item));
  if (missing.length) return `${path} lacks ${missing.join(', ')}`;
  for (const [k, v] of Object.entries(item)) {
    const problem = valueProblem(v, allowed.get(k), `${path}.${k}`);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * What is wrong with an edited plan, judged against the version it replaces (`template`): the same sections, each
 * non-empty where the template's is, items with the template items' fields and types, non-empty texts. Empty: none.
 */
export function planProblems(plan: unknown, template: Record<string, unknown>): string[] {
  if (!isObject(plan)) return ['plan must be an object'];
  if (JSON.stringify(plan).length > MAX_PLAN_JSON) return [`plan is larger than ${MAX_PLAN_JSON} characters of JSON`];
  const problems: string[] = [];
  for (const key of Object.keys(plan))
    if (!(key in template)) problems.push(`plan.${key} is not a section of the plan`);
  for (const key of IDENTITY)
    if (key in template && plan[key] !== template[key]) problems.push(`plan.${key} must stay ${String(template[key])}`);
  for (const [key, like] of Object.entries(template)) {
    const value = plan[key];
    if (value === undefined) {
      problems.push(`plan.${key} is missing`);
      continue;
    }
    if (!Array.isArray(like)) {
      const p = valueProblem(value, like, `plan.${key}`);
      if (p) problems.push(p);
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push(`plan.${key} must be a list`);
      continue;
    }
    if (like.length > 0 && value.length === 0) problems.push(`plan.${key} needs at least one entry`);
    if (value.length > MAX_ITEMS) problems.push(`plan.${key} has more than ${MAX_ITEMS} entries`);
    const items = like.filter(isObject);
    if (items.length === 0) continue;
    value.forEach((item, i) => {
      const p = itemProblem(item, items, `plan.${key}[${i}]`);
      if (p) problems.push(p);
    });
  }
  return problems;
}

const invalid = (message: string): Refusal => ({ type: INVALID_DECISION, message });

/** Why a review cannot be taken now (undefined: it can). */
export function refuseReview(
  input: ReviewInput,
  c: {
    stage: AppealStage;
    dueMs: number;
    currentVersion?: number;
    /** The version the edit replaces: its shape is the edit's. */
    template?: Record<string, unknown>;
    /** The round's drafted version: its numbers are the records' (appeal/planOfAction.ts validatePlan). */
    draft?: PlanOfAction;
  },
  nowMs: number,
): Refusal | undefined {
  if (c.stage !== 'awaiting_review')
    return { type: 'Refused', message: `the appeal is not waiting for a review (it is ${c.stage})` };
  if (nowMs >= c.dueMs)
    return {
      type: DEADLINE_PASSED,
      message: `the review was due by ${new Date(c.dueMs).toISOString()}: the appeal can no longer be approved`,
    };
  if (input.action !== 'approve' && input.action !== 'edit') return invalid("action must be 'approve' or 'edit'");
  if (input.version !== undefined && input.version !== c.currentVersion)
    return {
      type: 'Refused',
      message: `version ${String(input.version)} is not the current one (${String(c.currentVersion)}): review the latest`,
    };
  if (input.action === 'approve' && input.plan !== undefined)
    return invalid("an approval takes no plan: send action 'edit' with the plan, then approve it");
  if (input.action === 'edit') {
    if ((c.currentVersion ?? 0) >= MAX_VERSIONS)
      return { type: 'Refused', message: `the appeal has ${MAX_VERSIONS} versions already: approve one` };
    if (input.plan === undefined) return invalid("action 'edit' needs the whole edited plan");
    const shape = planProblems(input.plan, c.template ?? {});
    const problems = shape.length ? shape : validatePlan(input.plan, c.draft);
    if (problems.length) return invalid(`the edited plan is not valid: ${problems.slice(0, 5).join('; ')}`);
  }
  return textField(input.note, 'note', 1000);
}

/** Why a submission cannot be recorded now (undefined: it can); the window's close is its deadline. */
export function refuseAppealSubmission(
  input: AppealSubmissionInput,
  c: { stage: AppealStage; windowClosesMs: number; noticeMs: number },
  nowMs: number,
): Refusal | undefined {
  if (c.stage !== 'awaiting_submission' && c.stage !== 'expired')
    return { type: 'Refused', message: `the appeal is not waiting for a submission (it is ${c.stage})` };
  return refuseSubmission(input, { stage: c.stage, deadlineMs: c.windowClosesMs, openedFromMs: c.noticeMs }, nowMs);
}

/** Why a decision of TikTok's cannot be recorded now (undefined: it can). */
export function refuseAppealDecision(input: AppealDecisionInput, c: { stage: AppealStage }): Refusal | undefined {
  if (c.stage !== 'submitted')
    return { type: 'Refused', message: `no submission is waiting for TikTok's decision (the appeal is ${c.stage})` };
  if (input.decision !== 'approved' && input.decision !== 'denied')
    return invalid("decision must be 'approved' or 'denied'");
  if (input.decision === 'denied' && (typeof input.reason !== 'string' || input.reason.trim() === ''))
    return invalid("a denial needs TikTok's reason (it drives the revised appeal)");
  return textField(input.reason, 'reason', 1000) ?? textField(input.note, 'note', 1000);
}
