import type { Router } from 'express';
import { z } from 'zod';
import { chargebackWorkflowId } from '../../workflows/ids';
import type { ChargebackInput } from '../../workflows/chargeback/messages';
import { chargeback } from '../../workflows/chargeback/workflow';
import {
  amountSchema,
  caseIdSchema,
  currencySchema,
  disputeCaseRoutes,
  isoTimeSchema,
  openedByCaller,
} from '../disputeCases';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';

/** A chargeback notice as the seller received it (TikTok has no API for chargebacks). */
export const ChargebackBody = z
  .strictObject({
    chargebackId: caseIdSchema,
    orderId: caseIdSchema,
    reason: z.string().trim().min(1).max(200),
    amount: amountSchema,
    currency: currencySchema,
    noticeDate: isoTimeSchema,
    /** As written in the notice. */
    responseDeadline: isoTimeSchema,
    issuer: z.string().trim().min(1).max(100).optional(),
    network: z.string().trim().min(1).max(50).optional(),
  })
  .refine((b) => Date.parse(b.responseDeadline) > Date.parse(b.noticeDate), {
    path: ['responseDeadline'],
    message: 'the response deadline is after the notice date',
  });

/**
 * Chargebacks (workflows/chargeback): open one from its notice, list a shop's, show one with its bundle and steps
 * (api/disputeCases.ts). A notice whose deadline has passed is refused (422): nothing can be submitted any more.
 */
export function chargebackRoutes(deps: ApiDeps): Router {
  return disputeCaseRoutes<z.output<typeof ChargebackBody>, ChargebackInput>(deps, {
    caseKind: 'chargeback',
    plural: 'chargebacks',
    body: ChargebackBody,
    workflow: chargeback,
    workflowId: chargebackWorkflowId,
    caseIdOf: (b) => b.chargebackId,
    input(req, shopId, b) {
      if (Date.parse(b.responseDeadline) <= Date.now())
        throw new HttpError(
          422,
          'response_deadline_passed',
          `the notice's response deadline ${b.responseDeadline} has passed: the chargeback can no longer be answered`,
        );
      return Promise.resolve({
        input: { shopId, ...b, openedBy: openedByCaller(req) },
        deadline: new Date(b.responseDeadline).toISOString(),
      });
    },
  });
}
