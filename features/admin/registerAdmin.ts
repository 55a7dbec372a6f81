import type { z } from 'zod';
import type { Actor } from '../../domain/identity/roles.ts';
import type { Orm } from '../../infra/db/orm.ts';
import type { AgencyService, AgencyView } from '../registers/agencyService.ts';
import type { CertificateService, ImportReport } from '../registers/certificateService.ts';
import type { agencyCreateBody, agencyUpdateBody } from '../registers/schemas.ts';
import type { AuditLog } from './auditLog.ts';

interface Deps {
  orm: Orm;
  agencies: AgencyService;
  certificates: CertificateService;
  audit: AuditLog;
}

/**
 * The registers as the admin keeps them — agencies and the certificate import — through their own
 * use cases, each change put on the audit log once it is made.
 */
export function createRegisterAdmin({ orm, agencies, certificates, audit }: Deps) {
  const recorded = async (write: (em: ReturnType<Orm['em']['fork']>) => void) => {
    const em = orm.em.fork();
    write(em);
    await em.flush();
  };

  return {
    async createAgency(actor: Actor, body: z.infer<typeof agencyCreateBody>): Promise<AgencyView> {
      const agency = await agencies.create(actor, body);
      await recorded((em) => audit.record(em, actor, 'register.agency_created', { id: agency.id, label: agency.name }, { uscc: agency.uscc, active: agency.active }));
      return agency;
    },

    /** Name, contact, or active: a deactivated agency can no longer be chosen; its cases keep it. */
    async updateAgency(actor: Actor, agencyId: string, body: z.infer<typeof agencyUpdateBody>): Promise<AgencyView> {
      const before = await agencies.get(actor, agencyId);
      const after = await agencies.update(actor, agencyId, body);
      const changes = Object.fromEntries(
        (Object.keys(body) as (keyof typeof body)[]).filter((key) => body[key] !== undefined && before[key] !== after[key]).map((key) => [key, [before[key], after[key]]]),
      );
      if (Object.keys(changes).length) await recorded((em) => audit.record(em, actor, 'register.agency_updated', { id: after.id, label: after.name }, { changes }));
      return after;
    },

    /** Certificates from before the system, from CSV: the report by line; the import is on record with its counts. */
    async importCertificates(actor: Actor, csv: string, fileName: string | null = null): Promise<ImportReport> {
      const report = await certificates.importCsv(actor, csv);
      await recorded((em) =>
        audit.record(em, actor, 'register.certificates_imported', { id: 'certificates', label: fileName ?? 'CSV' }, { accepted: report.accepted.length, refused: report.refused.length }),
      );
      return report;
    },
  };
}

export type RegisterAdmin = ReturnType<typeof createRegisterAdmin>;
