import type { ApplicationForm } from '../../domain/case/model.ts';
import { maskResidentId } from '../../domain/identity/residentId.ts';
import { IdentityNumberRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';

/**
 * The identity register: the one place a full identity number is written. A received form keeps
 * the masked number and a random ref, so workflows, projections, mails and logs never hold it.
 */
export function createIdentityNumbers(orm: Orm) {
  return {
    /**
     * The form as it may travel. A correction that leaves the (masked) number as shown keeps the
     * number already on record; a new number is stored under a new ref.
     */
    async seal(form: ApplicationForm, previous: ApplicationForm | null = null): Promise<ApplicationForm> {
      if (previous?.legalRepresentativeIdRef && isUnchanged(form, previous)) {
        return { ...form, legalRepresentativeIdNumber: previous.legalRepresentativeIdNumber, legalRepresentativeIdRef: previous.legalRepresentativeIdRef };
      }
      const em = orm.em.fork();
      const ref = crypto.randomUUID();
      em.create(IdentityNumberRecord, { ref, uscc: form.uscc, number: form.legalRepresentativeIdNumber, recordedAt: new Date() });
      await em.flush();
      return { ...form, legalRepresentativeIdNumber: maskResidentId(form.legalRepresentativeIdNumber), legalRepresentativeIdRef: ref };
    },

    /** A sealed number no case came to hold (its application was refused after all). */
    async discard(ref: string): Promise<void> {
      await orm.em.fork().nativeDelete(IdentityNumberRecord, { ref });
    },

    /** The full number behind a ref; callers log the look (see enterpriseService.revealIdNumber). */
    async number(ref: string): Promise<string | null> {
      return (await orm.em.fork().findOne(IdentityNumberRecord, { ref }))?.number ?? null;
    },
  };
}

/** A corrected form that hands back the masked number it was shown. */
export function isUnchanged(form: ApplicationForm, previous: ApplicationForm): boolean {
  return form.legalRepresentativeIdNumber === maskResidentId(previous.legalRepresentativeIdNumber);
}

export type IdentityNumbers = ReturnType<typeof createIdentityNumbers>;
