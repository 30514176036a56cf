import { appealCase } from './appealCase';
import type { SuspensionAppealInput, SuspensionAppealResult } from './messages';

/**
 * The appeal of one account suspension (`appeal:<shopId>:<noticeId>`, issue 18), opened through the API or the CLI
 * with the notice: refused, recorded and ended with the explanation when it cannot help (counterfeit, intellectual
 * property, prohibited products) → evidence from our own records → the drafted Plan of Action (a PDF, version 1) → a
 * person approves or edits it (every version kept) → a person submits it in Seller Center before the appeal window
 * closes (reminders) → TikTok's decision as a person reports it → after a denial, ONE revised appeal stating what
 * changed since the first, through the same steps → the end.
 */
export async function suspensionAppeal(input: SuspensionAppealInput): Promise<SuspensionAppealResult> {
  const appeal = appealCase(input);
  await appeal.open();
  const assessed = await appeal.assess();
  if ('windowOpen' in assessed && assessed.windowOpen) {
    for (let round = 1; round <= 2; round += 1) {
      if (round === 2) await appeal.beginRevision();
      await appeal.draft();
      if (!(await appeal.awaitReview()) || !(await appeal.awaitSubmission())) break;
      const decision = await appeal.awaitDecision();
      if (decision === 'approved' || round === 2) {
        await appeal.end(decision);
        break;
      }
    }
  }
  return appeal.result();
}
