import type { Topic } from '../live/live-updates';
import type { AgreementRecord, ChargeRecord } from './recurring-record';

/** Where an agreement's changes are published (after they are stored) and followed. */
export const agreementTopic = (msn: string, agreementId: string) => `agreement:${msn}:${agreementId}` as Topic<AgreementRecord>;

/** Every charge of an agreement; `chargeId` narrows to one. */
export const chargeTopic = (msn: string, agreementId: string, chargeId?: string) => `charge:${msn}:${agreementId}${chargeId ? `:${chargeId}` : ''}` as Topic<ChargeRecord>;
