import { defineSearchAttributeKey } from '@temporalio/common';

/** Custom search attributes that make the Temporal Web UI useful for offices (registered at server start). */
export const CASE_TRACK = defineSearchAttributeKey('CaseTrack', 'KEYWORD');
export const CASE_DISTRICT = defineSearchAttributeKey('CaseDistrict', 'KEYWORD');
export const CASE_STAGE = defineSearchAttributeKey('CaseStage', 'KEYWORD');
export const PROGRAM_YEAR = defineSearchAttributeKey('ProgramYear', 'INT');
export const CASE_OVERDUE = defineSearchAttributeKey('CaseOverdue', 'BOOL');

export const CASE_SEARCH_ATTRIBUTES = [CASE_TRACK, CASE_DISTRICT, CASE_STAGE, PROGRAM_YEAR, CASE_OVERDUE];
