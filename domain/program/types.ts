import type { Role } from '../identity/roles.ts';
import type { LocalDeadline } from './calendar.ts';

export const TRACKS = ['standard', 'municipal-demo', 'provincial-demo'] as const;
/** standard = 贯标; municipal-demo = 苏州市级示范; provincial-demo = 江苏省级示范 */
export type TrackId = (typeof TRACKS)[number];

export interface District {
  /** stable code used in scopes, URLs and workflow ids */
  code: string;
  name: string;
  /** target counts per track for the year (attachment 1) */
  quotas: Partial<Record<TrackId, number>>;
}

/** One review step: who reviews and how long they have. */
export interface ReviewStep {
  stage: string;
  role: Role;
  /** calendar days the reviewer has from the moment the task opens */
  reviewDays: number;
}

export interface TrackDefinition {
  id: TrackId;
  name: string;
  /** named deadlines of the track, e.g. application, acceptanceMaterials */
  deadlines: Record<string, LocalDeadline>;
  /** the review chain of the application, in order */
  applicationReview: ReviewStep[];
  /** city-wide targets where the quota is not per district (demonstration tracks) */
  cityQuota?: number;
}

/** One year's work plan of one city, as data. A case pins the program id and version it started under. */
export interface ProgramDefinition {
  id: string;
  version: number;
  city: string;
  year: number;
  title: string;
  timeZone: string;
  /** the documents this program was transcribed from */
  source: string;
  issuedBy: string;
  districts: District[];
  tracks: Partial<Record<TrackId, TrackDefinition>>;
  /** days an enterprise has to correct a returned application */
  correctionDays: number;
}
