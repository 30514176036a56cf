/**
 * The dispatch deadline calculator: combines the rows of policy/dispatchRows.ts, read through `policy()`.
 */
import { policy } from './index';
export { DISPATCH_ROWS, type HandlingRange } from './dispatchRows';
import type { HandlingRange } from './dispatchRows';
import type { PolicyRow } from './table';
import {
  addCalendarDays,
  businessDayDate,
  localDateOf,
  zonedWallClockToUtc,
  type BusinessCalendar,
  type LocalDate,
  type NonBusinessDayStart,
} from './businessCalendar';
import { isActualFederalHoliday, isObservedFederalHoliday } from './usFederalHolidays';

export type OrderType = 'standard' | 'custom' | 'backorder' | 'made_to_order' | 'pre_order';

export interface DispatchDeadlineInput {
  region: string;
  /** 'standard' with no handlingDays uses the SLA; 'custom' is a regular order with a custom handling time. */
  orderType: OrderType;
  /** The seller's handling time: business days, or calendar days for 'pre_order'. */
  handlingDays?: number;
  /** When the buyer paid: the order date of the SLA page is this instant's local date. */
  paidAt: Date;
  /** Pre-orders: when the pre-order period closes; the deadline is then 1 business day after that date. */
  preOrderClosesAt?: Date;
  /** Which rows apply; defaults to paidAt, so a later policy change never moves an existing order's deadline. */
  at?: Date;
}

export interface DispatchDeadline {
  /** The dispatch deadline (local cut-off time on the due day). */
  shipBy: Date;
  /** When the platform auto-cancels an order that has not reached "Awaiting collection". */
  autoCancelAt: Date;
  /** End of the buyer-remorse (ON_HOLD) window; do not fulfil before it. It does not move the SLA clock. */
  remorseEndsAt: Date;
  /** The event that must happen by shipBy: 'AWAITING_COLLECTION' (tracking upload) or 'IN_TRANSIT' (carrier scan). */
  dispatchEvent: string;
  rowsUsed: PolicyRow[];
}

const HOLIDAY_CALENDARS: Record<string, (d: LocalDate) => boolean> = {
  'us-federal-observed': isObservedFederalHoliday,
  'us-federal-actual': isActualFederalHoliday,
};

const HANDLING_KEY: Record<OrderType, string> = {
  standard: 'handling.standard',
  custom: 'handling.custom',
  backorder: 'handling.backorder',
  made_to_order: 'handling.madeToOrder',
  pre_order: 'handling.preOrder',
};

/** The dispatch and auto-cancel deadlines of an order, from the policy rows in force at `at` (default paidAt). */
export function dispatchDeadline(input: DispatchDeadlineInput): DispatchDeadline {
  const { region, orderType, handlingDays, paidAt } = input;
  const at = input.at ?? paidAt;
  const rowsUsed: PolicyRow[] = [];
  const read = <T>(key: string): T => {
    const row = policy<T>(region, key, at);
    rowsUsed.push(row);
    return row.value;
  };

  const timeZone = read<string>('dispatch.timezone');
  const holidaysName = read<string>('dispatch.calendar.holidays');
  const isHoliday = HOLIDAY_CALENDARS[holidaysName];
  if (!isHoliday) throw new RangeError(`unknown holiday calendar ${holidaysName} (dispatch.calendar.holidays)`);
  const cal: BusinessCalendar = {
    timeZone,
    isHoliday,
    weekendDays: read<number[]>('dispatch.calendar.weekendDays'),
    nonBusinessDayStart: read<NonBusinessDayStart>('dispatch.nonBusinessDayOrder'),
  };
  const cutoff = read<string>('dispatch.cutoff.localTime');
  const atCutoff = (date: LocalDate): Date => zonedWallClockToUtc(date, `${cutoff}:59.999`, timeZone);
  const dispatchEvent = read<string>('dispatch.sla.event');
  const remorseEndsAt = new Date(paidAt.getTime() + read<number>('order.remorseWindow.minutes') * 60_000);

  const handlingRow = policy<HandlingRange>(region, HANDLING_KEY[orderType], at);
  const checkHandling = (days: number): number => {
    const r = handlingRow.value;
    rowsUsed.push(handlingRow);
    if (!Number.isInteger(days) || days < r.min || days > r.max) {
      throw new RangeError(
        `${orderType} handling time ${days} outside ${r.min}–${r.max} ${r.unit} (${handlingRow.source})`,
      );
    }
    return days;
  };
  const requireHandling = (): number => {
    if (handlingDays === undefined) throw new RangeError(`${orderType} orders need handlingDays`);
    return checkHandling(handlingDays);
  };
  // `n` business days after a due date ("from the Dispatch SLA"), with the same day-zero rule as the order date
  // (it only matters for a pre-order due date on a weekend, computed in calendar days).
  const plusBusinessDays = (date: LocalDate, n: number): LocalDate =>
    businessDayDate(zonedWallClockToUtc(date, '12:00', timeZone), n, cal);

  let shipDate: LocalDate;
  let autoCancelDate: LocalDate;
  switch (orderType) {
    case 'standard': {
      const sla = read<number>('dispatch.sla.businessDays');
      // A shop default handling time (1–2 BD) replaces the 2-BD SLA when given; it can only be stricter.
      const days = handlingDays === undefined ? sla : checkHandling(handlingDays);
      shipDate = businessDayDate(paidAt, days, cal);
      autoCancelDate = businessDayDate(paidAt, read<number>('order.autoCancel.businessDays'), cal);
      break;
    }
    case 'custom':
    case 'backorder':
    case 'made_to_order': {
      shipDate = businessDayDate(paidAt, requireHandling(), cal);
      autoCancelDate = plusBusinessDays(shipDate, read<number>('order.autoCancel.afterHandling.businessDays'));
      break;
    }
    case 'pre_order': {
      if (input.preOrderClosesAt) {
        shipDate = businessDayDate(
          input.preOrderClosesAt,
          read<number>('dispatch.preOrder.afterClose.businessDays'),
          cal,
        );
      } else {
        // No closure date known: the handling time (calendar days from the order date) is the deadline.
        shipDate = addCalendarDays(localDateOf(paidAt, timeZone), requireHandling());
      }
      autoCancelDate = plusBusinessDays(shipDate, read<number>('order.autoCancel.afterPreOrder.businessDays'));
      break;
    }
  }
  return { shipBy: atCutoff(shipDate), autoCancelAt: atCutoff(autoCancelDate), remorseEndsAt, dispatchEvent, rowsUsed };
}

/** The instants at which to escalate before `shipBy`, from the `escalation.offsets` row ('24h', '90m', …). */
export function escalationTimes(region: string, shipBy: Date, at: Date = shipBy): { offset: string; fireAt: Date }[] {
  const offsets = policy<string[]>(region, 'escalation.offsets', at).value;
  return offsets.map((offset) => {
    const m = /^(\d+)([hm])$/.exec(offset);
    if (!m) throw new RangeError(`escalation offset ${offset} is not like '24h' or '90m'`);
    const ms = Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 60_000);
    return { offset, fireAt: new Date(shipBy.getTime() - ms) };
  });
}
