import { ApiError } from '../api/errors';
import type { requestsProcedures } from '../api/procedures/requests';
import type { Handlers } from '../api/router';
import { actorOf } from '../auth';
import type { LedgerService } from '../ledger/service';
import { agreeDeadline, answerableReports, answerRequest, recordRequest, withdrawRequest } from './service';
import { getRequest, listRequests } from './store';

export function requestsHandlers(service: LedgerService): Handlers<typeof requestsProcedures> {
  return {
    'requests.list': (input) => service.read((s) => ({ requests: listRequests(s.db, input?.status) })),
    'requests.get': (input) =>
      service.read((s) => {
        const r = getRequest(s.db, input.id);
        if (r === undefined) throw new ApiError('not-found', `There is no request ${input.id}.`);
        return r;
      }),
    'requests.record': (input, call) =>
      service.use((ws) =>
        recordRequest(
          ws,
          {
            regime: input.regime,
            requesterKind: input.requesterKind,
            requester: input.requester,
            channel: input.channel,
            receivedMs: input.receivedMs,
            timeZone: input.timeZone,
            asked: input.asked,
            ...(input.respondent !== undefined ? { respondent: input.respondent } : {}),
            ...(input.contact !== undefined && input.contact !== '' ? { contact: input.contact } : {}),
          },
          actorOf(call).id,
        ),
      ),
    'requests.agreeDeadline': (input, call) =>
      service.use((ws) => agreeDeadline(ws, input, actorOf(call).id)),
    'requests.answer': (input, call) =>
      service.use((ws) =>
        answerRequest(
          ws,
          {
            id: input.id,
            reportSeq: input.reportSeq,
            sentTo: input.sentTo,
            ...(input.sentMs !== undefined ? { sentMs: input.sentMs } : {}),
            ...(input.note !== undefined && input.note !== '' ? { note: input.note } : {}),
          },
          actorOf(call).id,
        ),
      ),
    'requests.withdraw': (input, call) => service.use((ws) => withdrawRequest(ws, input, actorOf(call).id)),
    'requests.reports': (input) =>
      service.read((s) => ({ reports: answerableReports(s.db, input?.limit ?? 50) })),
  };
}
