import type { Client } from '@temporalio/client';
import type { Orm } from '../../infra/db/orm.ts';
import type { ProgramService } from '../programs/programService.ts';
import type { AgencyService } from '../registers/agencyService.ts';
import type { CertificateService } from '../registers/certificateService.ts';
import { createAuditLog } from './auditLog.ts';
import { createProgramAdmin } from './programAdmin.ts';
import { createRegisterAdmin } from './registerAdmin.ts';
import { createUserAdmin } from './userAdmin.ts';

interface Deps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  programs: ProgramService;
  agencies: AgencyService;
  certificates: CertificateService;
}

/** Administration: users and their links, programs, the registers, and the audit log every change is written to. */
export function createAdminService(deps: Deps) {
  const audit = createAuditLog(deps.orm);
  return {
    audit,
    users: createUserAdmin({ ...deps, audit }),
    programs: createProgramAdmin({ ...deps, audit }),
    registers: createRegisterAdmin({ ...deps, audit }),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
